"""Signing in and the account a bearer token speaks for: read afresh, so a deactivated user has none."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from labsys.audit import AuditEvent, verify_chain
from labsys.companies.models import Role, User
from labsys.companies.passwords import needs_rehash
from labsys.errors import AuthenticationFailed
from labsys.services import LabServices
from tests.factories import PASSWORD, Lab

pytestmark = pytest.mark.integration


def test_an_active_user_has_an_account_with_role_company_and_qualifications(services: LabServices, lab: Lab) -> None:
    account = services.accounts.active_account(lab.engineer.id or 0)
    assert account is not None
    assert (account.email, account.role, account.company_id) == (lab.engineer.email, Role.ENGINEER, None)
    assert account.qualifications == tuple(lab.engineer.qualifications)
    assert account.company_scope is None
    customer = services.accounts.active_account(lab.customer.id or 0)
    assert customer is not None
    assert customer.company_scope == lab.company.id


def test_a_deactivated_or_unknown_user_has_none(services: LabServices, session: Session, lab: Lab) -> None:
    lab.customer.active = False
    session.add(lab.customer)
    session.commit()
    assert services.accounts.active_account(lab.customer.id or 0) is None
    assert services.accounts.active_account(999_999) is None


def test_signing_in_takes_the_email_in_any_case_and_refuses_wrong_or_deactivated_alike(
    services: LabServices, session: Session, lab: Lab
) -> None:
    assert services.credentials.sign_in(lab.customer.email.upper(), PASSWORD).id == lab.customer.id
    with pytest.raises(AuthenticationFailed, match="wrong email or password"):
        services.credentials.sign_in(lab.customer.email, "not the password")
    with pytest.raises(AuthenticationFailed, match="wrong email or password"):
        services.credentials.sign_in("nobody@example.com", PASSWORD)
    lab.customer.active = False
    session.add(lab.customer)
    session.commit()
    with pytest.raises(AuthenticationFailed, match="wrong email or password"):
        services.credentials.sign_in(lab.customer.email, PASSWORD)


def test_a_password_hashed_with_weaker_parameters_is_rehashed_at_sign_in(
    services: LabServices, session: Session, lab: Lab
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    lab.engineer.password_hash = weak
    session.add(lab.engineer)
    session.commit()
    assert needs_rehash(weak)
    services.credentials.sign_in(lab.engineer.email, PASSWORD)
    session.expire_all()
    stored = session.exec(select(User).where(User.id == lab.engineer.id)).one()
    assert stored.password_hash != weak
    assert not needs_rehash(stored.password_hash)
    assert services.credentials.sign_in(lab.engineer.email, PASSWORD).id == lab.engineer.id  # the new hash works
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == str(lab.engineer.id))).all()
    assert "user.password_rehashed" in actions
    assert verify_chain(session)[1] is None
