"""Factories for the records tests need, made through the services as the lab makes them."""

from __future__ import annotations

import itertools
from typing import Any

from sqlmodel import Session

from labsys.audit.chain import SYSTEM
from labsys.companies import service as companies
from labsys.companies.models import Company, Role, User
from labsys.companies.schemas import CompanyRegistration, UserCreate

__all__ = ["PASSWORD", "VALID_BRNS", "make_company", "make_user", "valid_brn"]

PASSWORD = "correct horse battery"

_counter = itertools.count(1)
_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def valid_brn(serial: int) -> str:
    """A valid business registration number, different for each ``serial``."""
    head = f"{100 + serial % 900:03d}81{serial % 10000:04d}"
    digits = [int(d) for d in head]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return head + str((10 - total % 10) % 10)


#: Real-looking numbers: the first is the textbook example.
VALID_BRNS = ("1248100998", valid_brn(1), valid_brn(2))


def make_company(session: Session, *, name: str | None = None, email: str | None = None) -> tuple[Company, User]:
    """Register a company and its first customer user (password :data:`PASSWORD`)."""
    n = next(_counter)
    registration = CompanyRegistration(
        name=name or f"Hanbit Materials {n}",
        business_registration_number=valid_brn(n + 100),
        address="12 Gongdan-ro, Changwon",
        contact_name=f"Kim {n}",
        contact_email=email or f"customer{n}@example.com",
        password=PASSWORD,
    )
    company, user = companies.register_company(session=session, registration=registration)
    session.commit()
    return company, user


def make_user(session: Session, role: Role, *, company_id: int | None = None, **fields: Any) -> User:
    """Create a staff user (or a customer of ``company_id``) with password :data:`PASSWORD`."""
    n = next(_counter)
    user = companies.create_user(
        session=session,
        user_in=UserCreate(
            email=fields.pop("email", f"{role.value}{n}@lab.example.com"),
            name=fields.pop("name", f"{role.value.title()} {n}"),
            password=PASSWORD,
            role=role,
            company_id=company_id,
            **fields,
        ),
        actor=SYSTEM,
    )
    session.commit()
    return user
