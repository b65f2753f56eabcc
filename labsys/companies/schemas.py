"""What the API takes and gives for companies and users."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, field_validator
from sqlmodel import SQLModel

from labsys.companies.brn import format_brn, normalize_brn
from labsys.companies.models import Role

__all__ = [
    "CompanyPublic",
    "CompanyRegistration",
    "QualificationsUpdate",
    "UserCreate",
    "UserPublic",
    "UsersPublic",
]

Password = Annotated[str, Field(min_length=10, max_length=200)]
BusinessRegistrationNumber = Annotated[str, AfterValidator(normalize_brn)]


class CompanyBase(SQLModel):
    """A company's registration data."""

    name: str = Field(min_length=1, max_length=200)
    business_registration_number: BusinessRegistrationNumber = Field(
        description="사업자등록번호: 10 digits with its check digit, dashes allowed (124-81-00998)"
    )
    address: str = Field(min_length=1, max_length=400)
    contact_name: str = Field(min_length=1, max_length=100)
    contact_email: EmailStr
    contact_phone: str = Field(default="", max_length=40)


class CompanyRegistration(CompanyBase):
    """A new company and its first customer user, who signs in with ``contact_email`` and ``password``."""

    password: Password


class CompanyPublic(SQLModel):
    """A company as the API shows it."""

    id: int
    name: str
    business_registration_number: str
    address: str
    contact_name: str
    contact_email: str
    contact_phone: str

    @field_validator("business_registration_number")
    @classmethod
    def _dashed(cls, value: str) -> str:
        return format_brn(value) if len(value) == 10 else value


class UserCreate(SQLModel):
    """A new user, made by an admin (or by ``labsys users create``)."""

    email: EmailStr
    name: str = Field(min_length=1, max_length=100)
    password: Password
    role: Role
    company_id: int | None = None
    qualifications: list[str] = Field(default_factory=list)


class QualificationsUpdate(SQLModel):
    """The instrument kinds an engineer may operate, or the method codes a reviewer may sign."""

    qualifications: list[Annotated[str, Field(min_length=1, max_length=40)]]


class UserPublic(SQLModel):
    """A user as the API shows it (never the password hash)."""

    id: int
    email: str
    name: str
    role: Role
    company_id: int | None
    qualifications: list[str]
    active: bool


class UsersPublic(SQLModel):
    """A list of users."""

    data: list[UserPublic]
    count: int
