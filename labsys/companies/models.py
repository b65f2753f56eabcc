"""Companies (the lab's customers) and the people who use the lab."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, enum_type, utcnow

__all__ = ["STAFF_ROLES", "Company", "Role", "User"]


class Role(StrEnum):
    """What a user does in the lab."""

    CUSTOMER = "customer"
    ENGINEER = "engineer"
    REVIEWER = "reviewer"
    ADMIN = "admin"


#: Roles of the lab's own people, who see every company's records.
STAFF_ROLES = frozenset({Role.ENGINEER, Role.REVIEWER, Role.ADMIN})


class Company(SQLModel, table=True):
    """A company that books tests; identified by its business registration number (사업자등록번호)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    business_registration_number: str = Field(max_length=10, unique=True, index=True)
    address: str = Field(max_length=400)
    contact_name: str = Field(max_length=100)
    contact_email: str = Field(max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class User(SQLModel, table=True):
    """A person who signs in: a customer of one company, or one of the lab's staff.

    ``qualifications`` holds the instrument kinds an engineer may operate, or the method codes a reviewer may
    sign.
    """

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=100)
    role: Role = Field(sa_type=enum_type(Role))
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    password_hash: str = Field(max_length=200)
    qualifications: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def is_staff(self) -> bool:
        """Whether the user is one of the lab's own people."""
        return self.role in STAFF_ROLES
