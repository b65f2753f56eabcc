"""Seeding the demo lab: two customer companies, one user per role, the catalog and the bench's instruments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlmodel import Session, func, select

from labsys.audit import Actor
from labsys.companies.models import CompanyRegistration, Role, User, UserCreate
from labsys.companies.passwords import hash_password
from labsys.companies.service import add_company, add_user
from labsys.demo.methods import DEMO_METHODS
from labsys.equipment.models import InstrumentCreate
from labsys.equipment.service import add_instrument
from labsys.methods.service import add_method
from labsys.scheduling.engineer_time import replace_shifts
from labsys.scheduling.schemas import ShiftIn, ShiftsUpdate

__all__ = ["DEMO_PASSWORD", "DemoLogin", "is_empty", "seed_demo"]

#: Every demo user's password. The demo runs in development mode only; production refuses demo secrets.
DEMO_PASSWORD = "labsys-demo-2026"  # noqa: S105 - printed to the person who starts the demo

_SEEDER = Actor("demo-seed")


@dataclass(frozen=True)
class DemoLogin:
    """Who the person starting the demo can sign in as."""

    role: str
    email: str
    name: str
    company: str


_COMPANIES = (
    CompanyRegistration(
        name="(주)한빛소재",
        business_registration_number="124-81-00998",
        address="경상남도 창원시 성산구 공단로 12",
        contact_name="김민준",
        contact_email="minjun.kim@hanbit.example.com",
        contact_phone="055-123-4567",
        password=DEMO_PASSWORD,
    ),
    CompanyRegistration(
        name="Daehan Precision Parts Co., Ltd.",
        business_registration_number="220-81-62517",
        address="45 Sandan 3-ro, Siheung-si, Gyeonggi-do",
        contact_name="Lee Seo-yeon",
        contact_email="seoyeon.lee@daehan.example.com",
        contact_phone="031-987-6543",
        password=DEMO_PASSWORD,
    ),
)


def _weekdays(first: int, last: int, starts: time, ends: time) -> tuple[ShiftIn, ...]:
    return tuple(ShiftIn(weekday=day, starts_at=starts, ends_at=ends) for day in range(first, last + 1))


#: Two more engineers, so that the demo lab runs tests side by side: one who works Monday to Thursday, and one
#: who runs the electrical instruments on mornings. Their logins are not printed; the admin's pages show them.
#: ``None`` qualifies an engineer for every kind on the bench.
_ENGINEERS: tuple[tuple[str, str, tuple[str, ...] | None, tuple[ShiftIn, ...]], ...] = (
    ("seoyeon.han@lab.example.com", "Han Seo-yeon", None, _weekdays(0, 3, time(9), time(18))),
    ("taemin.yoon@lab.example.com", "Yoon Tae-min", ("smu", "dmm", "awg"), _weekdays(0, 4, time(9), time(13))),
)


def is_empty(session: Session) -> bool:
    """Whether the lab has no users yet (a fresh database)."""
    return session.exec(select(func.count()).select_from(User)).one() == 0


def seed_demo(session: Session, instruments: list[InstrumentCreate]) -> list[DemoLogin]:
    """Fill an empty lab with the demo data, in the caller's transaction, and return the logins.

    Args:
        session: a session on an empty, migrated database.
        instruments: the simulated bench's instruments, with their resources and calibration.
    """
    logins: list[DemoLogin] = []
    password_hash = hash_password(DEMO_PASSWORD)  # every demo user shares the printed password
    for registration in _COMPANIES:
        company, customer = add_company(session, registration, password_hash)
        logins.append(DemoLogin("customer", customer.email, customer.name, company.name))
    kinds = sorted({i.kind for i in instruments})
    codes = [m.code for m in DEMO_METHODS]
    staff: tuple[tuple[Role, str, str, list[str]], ...] = (
        (Role.ADMIN, "admin@lab.example.com", "Park Ji-ho", []),
        (Role.ENGINEER, "engineer@lab.example.com", "Choi Hyun-woo", kinds),
        (Role.REVIEWER, "reviewer@lab.example.com", "Jung Soo-ah", codes),
    )
    for role, email, name, qualifications in staff:
        user_in = UserCreate(email=email, name=name, password=DEMO_PASSWORD, role=role, qualifications=qualifications)
        user = add_user(session, user_in, password_hash, _SEEDER)
        logins.append(DemoLogin(role.value, user.email, user.name, "the lab"))
    for email, name, only, shifts in _ENGINEERS:
        qualified = kinds if only is None else list(only)
        user_in = UserCreate(
            email=email, name=name, password=DEMO_PASSWORD, role=Role.ENGINEER, qualifications=qualified
        )
        engineer = add_user(session, user_in, password_hash, _SEEDER)
        replace_shifts(session, engineer.id or 0, ShiftsUpdate(shifts=list(shifts)), by=_SEEDER)
    for method in DEMO_METHODS:
        add_method(session, method, _SEEDER)
    for instrument in instruments:
        add_instrument(session, instrument, _SEEDER)
    return logins
