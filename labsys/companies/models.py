"""Companies (the lab's customers) and the people who use the lab, each as a SQLModel family.

``XBase`` holds the fields a record shares with what the API takes and gives, with their constraints; ``XCreate``
is what a caller sends, ``X`` the table, ``XPublic`` what the API answers. A field added to a base reaches the
table (with a migration), the request, the answer and the audit trail without any other change.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, EmailStr, field_validator, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from labsys.bounds import DB_INT_MAX
from labsys.companies.brn import format_brn, normalize_brn
from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = [
    "STAFF_ROLES",
    "BusinessRegistrationNumber",
    "Company",
    "CompanyBase",
    "CompanyCorrection",
    "CompanyPublic",
    "CompanyRegistration",
    "PasswordChange",
    "QualificationsUpdate",
    "RegistrationReceived",
    "Role",
    "SignInFailure",
    "User",
    "UserBase",
    "UserCreate",
    "UserPublic",
    "UsersPublic",
    "company_snapshot",
    "user_snapshot",
]


class Role(StrEnum):
    """What a user does in the lab."""

    CUSTOMER = "customer"
    ENGINEER = "engineer"
    REVIEWER = "reviewer"
    ADMIN = "admin"


#: Roles of the lab's own people, who see every company's records.
STAFF_ROLES = frozenset({Role.ENGINEER, Role.REVIEWER, Role.ADMIN})

Password = Annotated[str, Field(min_length=10, max_length=200)]
#: A valid 사업자등록번호 as typed (dashes allowed), kept as its ten digits.
BusinessRegistrationNumber = Annotated[str, AfterValidator(normalize_brn)]


class CompanyBase(SQLModel):
    """A company's registration data."""

    name: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=400)
    contact_name: str = Field(min_length=1, max_length=100)
    contact_email: str = Field(min_length=3, max_length=254)
    contact_phone: str = Field(default="", max_length=40)


class CompanyRegistration(CompanyBase):
    """A new company and its first customer user, who signs in with ``contact_email`` and ``password``."""

    business_registration_number: BusinessRegistrationNumber = Field(
        description="사업자등록번호: 10 digits with its check digit, dashes allowed (124-81-00998)"
    )
    contact_email: EmailStr
    password: Password


class RegistrationReceived(SQLModel):
    """The answer to a registration, the same whether it made an account or found the email or the company
    already registered (so it tells a stranger nothing about who has an account)."""

    detail: str


class CompanyCorrection(SQLModel):
    """An admin's correction of a company's record: the fields to change, and why (kept in the audit trail)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, min_length=1, max_length=400)
    contact_name: str | None = Field(default=None, min_length=1, max_length=100)
    contact_email: EmailStr | None = None
    contact_phone: str | None = Field(default=None, max_length=40)
    business_registration_number: BusinessRegistrationNumber | None = None
    reason: str = Field(min_length=1, max_length=500, description="why the record is corrected")

    @model_validator(mode="after")
    def _nothing_cleared(self) -> CompanyCorrection:
        cleared = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if cleared:
            msg = f"a correction gives new values; it cannot clear {', '.join(cleared)}"
            raise ValueError(msg)
        return self


class Company(CompanyBase, table=True):
    """A company that books tests; identified by its business registration number (사업자등록번호)."""

    id: int | None = Field(default=None, primary_key=True)
    business_registration_number: str = Field(max_length=10, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CompanyPublic(CompanyBase):
    """A company as the API shows it, its registration number dashed (``124-81-00998``)."""

    id: int
    business_registration_number: str

    @field_validator("business_registration_number")
    @classmethod
    def _dashed(cls, value: str) -> str:
        return format_brn(value) if len(value) == 10 else value


class UserBase(SQLModel):
    """Who a user is and what they may do.

    ``qualifications`` holds the instrument kinds an engineer may operate, or the method codes a reviewer may sign.
    """

    email: str = Field(min_length=3, max_length=254, unique=True, index=True)
    name: str = Field(min_length=1, max_length=100)
    role: Role = Field(sa_type=enum_type(Role))
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True, ge=1, le=DB_INT_MAX)
    qualifications: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class UserCreate(UserBase):
    """A new user, made by an admin (or by ``labsys users create``)."""

    email: EmailStr
    password: Password


class User(UserBase, table=True):
    """A person who signs in: a customer of one company, or one of the lab's staff."""

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def is_staff(self) -> bool:
        """Whether the user is one of the lab's own people."""
        return self.role in STAFF_ROLES


class PasswordChange(SQLModel):
    """A signed-in user's new password, with the current one to show it is them."""

    current_password: str = Field(max_length=200)
    new_password: Password


class SignInFailure(SQLModel, table=True):
    """A sign-in with a wrong password (or one still being checked), kept for a day to slow down guessing.

    ``email`` is as typed, lower-cased, whether or not an account has it; ``address`` is the client's address.
    """

    __tablename__ = "sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64)
    failed_at: datetime = Field(sa_type=UTCDateTime, index=True)


class UserPublic(UserBase):
    """A user as the API shows it (never the password hash); ``sign_in_locked_until`` is set while too many wrong
    passwords lock the account (an admin may unlock it)."""

    id: int
    active: bool
    sign_in_locked_until: datetime | None = None


class UsersPublic(SQLModel):
    """A list of users."""

    data: list[UserPublic]
    count: int


class QualificationsUpdate(SQLModel):
    """The instrument kinds an engineer may operate, or the method codes a reviewer may sign."""

    qualifications: list[Annotated[str, Field(min_length=1, max_length=40)]]


def company_snapshot(company: Company) -> dict[str, object]:
    """What the audit trail keeps of a company."""
    return company.model_dump(exclude={"created_at"})


def user_snapshot(user: User) -> dict[str, object]:
    """What the audit trail keeps of a user (never the password hash)."""
    return user.model_dump(exclude={"password_hash", "created_at"})
