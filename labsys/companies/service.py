"""Registering companies, managing users and signing in."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from labsys.audit import Actor, record
from labsys.companies.brn import format_brn
from labsys.companies.models import Company, Role, User
from labsys.companies.passwords import hash_password, verify_password
from labsys.companies.schemas import CompanyRegistration, UserCreate
from labsys.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound

__all__ = [
    "authenticate",
    "create_user",
    "get_company",
    "get_user",
    "list_companies",
    "list_users",
    "register_company",
    "set_qualifications",
    "user_snapshot",
]


def user_snapshot(user: User) -> dict[str, object]:
    """What the audit trail keeps of a user (never the password hash)."""
    return user.model_dump(exclude={"password_hash", "created_at"})


def register_company(*, session: Session, registration: CompanyRegistration) -> tuple[Company, User]:
    """Register a company and its first customer user in one transaction.

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
    company = Company(**registration.model_dump(exclude={"password"}))
    session.add(company)
    _flush_or_conflict(session, "that company or email is already registered")
    actor = Actor(registration.contact_email)
    record(
        session,
        actor=actor,
        action="company.registered",
        entity_type="company",
        entity_id=company.id,
        after=company.model_dump(exclude={"created_at"}),
    )
    user = _add_user(
        session,
        UserCreate(
            email=registration.contact_email,
            name=registration.contact_name,
            password=registration.password,
            role=Role.CUSTOMER,
            company_id=company.id,
        ),
        actor,
    )
    return company, user


def create_user(*, session: Session, user_in: UserCreate, actor: Actor) -> User:
    """Create a user. A customer belongs to an existing company; staff belong to none.

    Raises:
        InvalidInput: a customer without a company, or staff with one.
        NotFound: the company does not exist.
        Conflict: the email is taken.
    """
    if user_in.role is Role.CUSTOMER:
        if user_in.company_id is None:
            raise InvalidInput("company_id", "a customer user belongs to a company: give company_id")
        get_company(session=session, company_id=user_in.company_id)
    elif user_in.company_id is not None:
        raise InvalidInput("company_id", "lab staff belong to no company: leave company_id out")
    _ensure_email_free(session, user_in.email)
    return _add_user(session, user_in, actor)


def _add_user(session: Session, user_in: UserCreate, actor: Actor) -> User:
    user = User(
        email=user_in.email.lower(),
        name=user_in.name,
        role=user_in.role,
        company_id=user_in.company_id,
        password_hash=hash_password(user_in.password),
        qualifications=sorted(set(user_in.qualifications)),
    )
    session.add(user)
    _flush_or_conflict(session, f"a user with email {user.email} already exists")
    record(
        session,
        actor=actor,
        action="user.created",
        entity_type="user",
        entity_id=user.id,
        after=user_snapshot(user),
    )
    return user


def _ensure_email_free(session: Session, email: str) -> None:
    if session.exec(select(User).where(func.lower(User.email) == email.lower())).first():
        raise Conflict(f"a user with email {email.lower()} already exists", field="email")


def _flush_or_conflict(session: Session, detail: str) -> None:
    # Two racing registrations both pass the check above; the unique index decides, and the loser gets a 409.
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(detail) from exc


def authenticate(*, session: Session, email: str, password: str) -> User:
    """The active user with this email and password.

    Raises:
        AuthenticationFailed: unknown email, wrong password or a deactivated user (one message for all three).
    """
    user = session.exec(select(User).where(func.lower(User.email) == email.lower())).first()
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
        raise AuthenticationFailed("wrong email or password")
    return user


def get_company(*, session: Session, company_id: int) -> Company:
    """The company with this id.

    Raises:
        NotFound: there is none.
    """
    company = session.get(Company, company_id)
    if company is None:
        raise NotFound(f"company {company_id} not found")
    return company


def get_user(*, session: Session, user_id: int) -> User:
    """The user with this id.

    Raises:
        NotFound: there is none.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def list_users(*, session: Session, role: Role | None = None) -> list[User]:
    """Every user, or those of one role, by id."""
    query = select(User).order_by(col(User.id))
    if role is not None:
        query = query.where(User.role == role)
    return list(session.exec(query).all())


def set_qualifications(*, session: Session, user_id: int, qualifications: list[str], actor: Actor) -> User:
    """Replace what an engineer may operate or a reviewer may sign.

    Raises:
        NotFound: no such user.
        InvalidInput: the user is a customer or an admin, who hold no qualifications.
    """
    user = get_user(session=session, user_id=user_id)
    if user.role not in {Role.ENGINEER, Role.REVIEWER}:
        raise InvalidInput("qualifications", f"a {user.role} holds no qualifications")
    before = user_snapshot(user)
    user.qualifications = sorted(set(qualifications))
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="user.qualifications_changed",
        entity_type="user",
        entity_id=user.id,
        before=before,
        after=user_snapshot(user),
    )
    return user


def list_companies(*, session: Session) -> list[Company]:
    """Every registered company, by id."""
    return list(session.exec(select(Company).order_by(col(Company.id))).all())
