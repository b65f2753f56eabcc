"""Registering companies, correcting their records, and managing users (signing in:
:mod:`labsys.companies.credentials`).

The module's functions work in the caller's transaction (the demo seed and the tests use them); the
:class:`AccountService` gives each request its own transaction and hashes passwords outside it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from labsys.audit import Actor, record
from labsys.companies.accounts import Account
from labsys.companies.brn import format_brn
from labsys.companies.models import (
    Company,
    CompanyCorrection,
    CompanyPublic,
    CompanyRegistration,
    RegistrationReceived,
    Role,
    User,
    UserCreate,
    UserPublic,
    UsersPublic,
    company_snapshot,
    user_snapshot,
)
from labsys.companies.password_policy import check_password
from labsys.companies.passwords import hash_password
from labsys.companies.throttling import SignInLimits, lockouts
from labsys.db import Database, utcnow
from labsys.errors import Conflict, InvalidInput, NotFound

__all__ = ["AccountService", "add_company", "add_user", "get_company", "get_user", "user_by_email"]

_log = logging.getLogger(__name__)

#: What registration answers, whether it made an account or found the email or the company registered already.
REGISTRATION_RECEIVED = (
    "registration received: if this email address and business registration number were new to the lab, the "
    "company and its account are ready, so sign in with the email and password you gave; if either was registered "
    "already, nothing was changed: sign in with the existing account, or ask the lab"
)


def add_company(session: Session, registration: CompanyRegistration, password_hash: str) -> tuple[Company, User]:
    """Register a company and its first customer user, whose password ``password_hash`` is.

    Raises:
        Conflict: the business registration number or the contact email is already registered.
    """
    brn = registration.business_registration_number
    if session.exec(select(Company).where(Company.business_registration_number == brn)).first():
        raise Conflict(
            f"a company with business registration number {format_brn(brn)} is already registered",
            field="business_registration_number",
        )
    _ensure_email_free(session, registration.contact_email)
    company = Company.model_validate(registration.model_dump(exclude={"password"}))
    session.add(company)
    _flush_or_conflict(session, "that company or email is already registered")
    actor = Actor(registration.contact_email)
    record(
        session,
        actor=actor,
        action="company.registered",
        entity_type="company",
        entity_id=company.id,
        after=company_snapshot(company),
    )
    first_user = UserCreate(
        email=registration.contact_email,
        name=registration.contact_name,
        password=registration.password,
        role=Role.CUSTOMER,
        company_id=company.id,
    )
    return company, add_user(session, first_user, password_hash, actor)


def add_user(session: Session, user_in: UserCreate, password_hash: str, actor: Actor) -> User:
    """Create a user whose password ``password_hash`` is. A customer belongs to a company; staff to none.

    Raises:
        InvalidInput: a customer without a company, or staff with one.
        NotFound: the company does not exist.
        Conflict: the email is taken.
    """
    if user_in.role is Role.CUSTOMER:
        if user_in.company_id is None:
            raise InvalidInput("company_id", "a customer user belongs to a company: give company_id")
        get_company(session, user_in.company_id)
    elif user_in.company_id is not None:
        raise InvalidInput("company_id", "lab staff belong to no company: leave company_id out")
    _ensure_email_free(session, user_in.email)
    user = User.model_validate(
        user_in.model_dump(exclude={"password"}),
        update={
            "email": user_in.email.lower(),
            "password_hash": password_hash,
            "qualifications": sorted(set(user_in.qualifications)),
        },
    )
    session.add(user)
    _flush_or_conflict(session, f"a user with email {user.email} already exists")
    record(
        session, actor=actor, action="user.created", entity_type="user", entity_id=user.id, after=user_snapshot(user)
    )
    return user


def _ensure_email_free(session: Session, email: str) -> None:
    if user_by_email(session, email) is not None:
        raise Conflict(f"a user with email {email.lower()} already exists", field="email")


def user_by_email(session: Session, email: str) -> User | None:
    """The user who signs in with this email (in any case), or None."""
    return session.exec(select(User).where(func.lower(User.email) == email.lower())).first()


def _flush_or_conflict(session: Session, detail: str) -> None:
    # The checks above read under the lab's write lock; the unique indexes stay the last word.
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(detail) from exc


def get_company(session: Session, company_id: int) -> Company:
    """The company with this id.

    Raises:
        NotFound: there is none.
    """
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(f"company {company_id} not found")
    return company


def get_user(session: Session, user_id: int) -> User:
    """The user with this id.

    Raises:
        NotFound: there is none.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


class AccountService:
    """Companies, users and signing in, one transaction per call."""

    def __init__(
        self, db: Database, limits: SignInLimits | None = None, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._db = db
        self._limits = limits or SignInLimits()
        self._clock = clock

    def _public(self, session: Session, users: Sequence[User]) -> list[UserPublic]:
        locked = lockouts(session, now=self._clock(), limits=self._limits)
        return [UserPublic.model_validate(u, update={"sign_in_locked_until": locked.get(u.email)}) for u in users]

    def register_company(self, registration: CompanyRegistration) -> RegistrationReceived:
        """Register a company and its first customer user, unless the email or the registration number is
        registered already; the answer is the same either way, so it tells nobody which emails or companies the
        lab knows (the refusal is logged for the lab).

        Raises:
            InvalidInput: the password is too easy to guess (its own words included).
        """
        check_password(
            registration.password,
            user_inputs=(registration.contact_email, registration.contact_name, registration.name),
        )
        password_hash = hash_password(registration.password)  # hashed either way: both answers take as long
        try:
            with self._db.writing() as session:
                add_company(session, registration, password_hash)
        except Conflict as taken:
            _log.info("registration of %s not made: %s", registration.contact_email, taken.detail)
        return RegistrationReceived(detail=REGISTRATION_RECEIVED)

    def create_user(self, user_in: UserCreate, *, by: Actor) -> UserPublic:
        """Create a user (an admin, or ``labsys users create``).

        Raises:
            InvalidInput: the password is too easy to guess; a customer without a company, or staff with one.
            NotFound: the company does not exist.
            Conflict: the email is taken.
        """
        company_name = ""
        if user_in.company_id is not None:
            with self._db.reading() as session:
                company = session.get(Company, user_in.company_id)
                company_name = company.name if company else ""
        check_password(user_in.password, user_inputs=(user_in.email, user_in.name, company_name))
        password_hash = hash_password(user_in.password)
        with self._db.writing() as session:
            return UserPublic.model_validate(add_user(session, user_in, password_hash, by))

    def active_account(self, user_id: int) -> Account | None:
        """The account of an active user, or None if there is none or they were deactivated (read afresh)."""
        with self._db.reading() as session:
            user = session.get(User, user_id)
            return Account.of(user) if user is not None and user.active else None

    def get_user(self, user_id: int) -> UserPublic:
        """A user.

        Raises:
            NotFound: there is none.
        """
        with self._db.reading() as session:
            return self._public(session, [get_user(session, user_id)])[0]

    def list_users(self, role: Role | None = None) -> UsersPublic:
        """Every user, or those of one role, by id."""
        query = select(User).order_by(col(User.id))
        if role is not None:
            query = query.where(User.role == role)
        with self._db.reading() as session:
            users = self._public(session, session.exec(query).all())
        return UsersPublic(data=users, count=len(users))

    def set_qualifications(self, user_id: int, qualifications: list[str], *, by: Actor) -> UserPublic:
        """Replace what an engineer may operate or a reviewer may sign.

        Raises:
            NotFound: no such user.
            InvalidInput: the user is a customer or an admin, who hold no qualifications.
        """
        with self._db.writing() as session:
            user = get_user(session, user_id)
            if user.role not in {Role.ENGINEER, Role.REVIEWER}:
                raise InvalidInput("qualifications", f"a {user.role} holds no qualifications")
            before = user_snapshot(user)
            user.qualifications = sorted(set(qualifications))
            session.add(user)
            session.flush()
            record(
                session,
                actor=by,
                action="user.qualifications_changed",
                entity_type="user",
                entity_id=user.id,
                before=before,
                after=user_snapshot(user),
            )
            return UserPublic.model_validate(user)

    def get_company(self, company_id: int, *, viewer: Account) -> CompanyPublic:
        """A company: a customer's own, or any for staff.

        Raises:
            NotFound: there is none, or it is another company's.
        """
        scope = viewer.company_scope
        if scope is not None and scope != company_id:
            raise NotFound(f"company {company_id} not found")
        with self._db.reading() as session:
            return CompanyPublic.model_validate(get_company(session, company_id))

    def list_companies(self) -> list[CompanyPublic]:
        """Every registered company, by id."""
        with self._db.reading() as session:
            return [CompanyPublic.model_validate(c) for c in session.exec(select(Company).order_by(col(Company.id)))]

    def correct_company(self, company_id: int, correction: CompanyCorrection, *, by: Actor) -> CompanyPublic:
        """Correct a company's record (admin); the audit trail keeps the old and new values and the reason.

        The bookings that name the company (as applicant, payer or report recipient) read its record as it is now,
        so a certificate amended after the correction prints it.

        Raises:
            NotFound: no such company.
            InvalidInput: the correction changes nothing.
            Conflict: another company has that registration number.
        """
        changes = correction.model_dump(exclude_unset=True, exclude={"reason"})
        with self._db.writing() as session:
            company = get_company(session, company_id)
            before = company_snapshot(company)
            changes = {name: value for name, value in changes.items() if before.get(name) != value}
            if not changes:
                raise InvalidInput("reason", "the correction changes nothing: give the fields that are wrong")
            number = changes.get("business_registration_number")
            if (
                number is not None
                and session.exec(
                    select(Company).where(Company.business_registration_number == number, Company.id != company_id)
                ).first()
            ):
                raise Conflict(
                    f"another company has business registration number {format_brn(number)}",
                    field="business_registration_number",
                )
            company.sqlmodel_update(changes)
            session.add(company)
            _flush_or_conflict(session, "another company has that business registration number")
            record(
                session,
                actor=by,
                action="company.corrected",
                entity_type="company",
                entity_id=company.id,
                before=before,
                after={**company_snapshot(company), "reason": correction.reason},
            )
            return CompanyPublic.model_validate(company)
