"""The account a bearer token speaks for is read afresh: a deactivated user has none."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from labsys.companies.accounts import AccountReader, active_account
from labsys.companies.models import Role
from labsys.db import reader_engine
from tests.factories import Lab

pytestmark = pytest.mark.integration


def test_an_active_user_has_an_account_with_role_company_and_qualifications(
    engine: Engine, session: Session, lab: Lab
) -> None:
    account = active_account(reader_engine(engine), lab.engineer.id or 0)
    assert account is not None
    assert (account.email, account.role, account.company_id) == (lab.engineer.email, Role.ENGINEER, None)
    assert account.qualifications == tuple(lab.engineer.qualifications)
    customer = active_account(reader_engine(engine), lab.customer.id or 0)
    assert customer is not None
    assert customer.company_id == lab.company.id


def test_a_deactivated_or_unknown_user_has_none(engine: Engine, session: Session, lab: Lab) -> None:
    lab.customer.active = False
    session.add(lab.customer)
    session.commit()
    assert active_account(reader_engine(engine), lab.customer.id or 0) is None
    assert active_account(reader_engine(engine), 999_999) is None


def test_a_reader_on_a_kept_connection_sees_a_deactivation_committed_after_its_last_read(
    engine: Engine, session: Session, lab: Lab
) -> None:
    reader = AccountReader(reader_engine(engine))
    try:
        first = reader.active(lab.customer.id or 0)
        assert first is not None
        assert first.email == lab.customer.email
        lab.customer.active = False
        session.add(lab.customer)
        session.commit()
        assert reader.active(lab.customer.id or 0) is None
        assert reader.active(999_999) is None
        reader.close()
        engineer = reader.active(lab.engineer.id or 0)  # a closed reader opens a connection again
        assert engineer is not None
        assert engineer.role == Role.ENGINEER
    finally:
        reader.close()
