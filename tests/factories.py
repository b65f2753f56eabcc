"""Factories for the records tests need, made through the services as the lab makes them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from sqlmodel import Session

from labsys.audit import SYSTEM
from labsys.companies.models import Company, CompanyRegistration, Role, User, UserCreate
from labsys.companies.passwords import hash_password
from labsys.companies.service import add_company, add_user
from labsys.demo.methods import DEMO_METHODS
from labsys.equipment.models import Instrument, InstrumentCreate
from labsys.equipment.service import add_instrument
from labsys.methods.models import TestMethod
from labsys.methods.service import add_method

__all__ = [
    "PASSWORD",
    "VALID_BRNS",
    "Lab",
    "another_engineer",
    "lab_start",
    "make_company",
    "make_instrument",
    "make_lab",
    "make_user",
    "valid_brn",
]

PASSWORD = "correct horse battery"
#: Its hash, made once: every user the factories make signs in with it (argon2 is slow on purpose).
PASSWORD_HASH = hash_password(PASSWORD)

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
    company, user = add_company(session, registration, PASSWORD_HASH)
    session.commit()
    return company, user


def make_user(session: Session, role: Role, *, company_id: int | None = None, **fields: Any) -> User:
    """Create a staff user (or a customer of ``company_id``) with password :data:`PASSWORD`."""
    n = next(_counter)
    user_in = UserCreate(
        email=fields.pop("email", f"{role.value}{n}@lab.example.com"),
        name=fields.pop("name", f"{role.value.title()} {n}"),
        password=PASSWORD,
        role=role,
        company_id=company_id,
        **fields,
    )
    user = add_user(session, user_in, PASSWORD_HASH, SYSTEM)
    session.commit()
    return user


def make_instrument(
    session: Session, kind: str, asset_tag: str, *, calibration_due: date | None = None, setup_buffer_min: int = 15
) -> Instrument:
    """Register an instrument of ``kind``, calibrated until ``calibration_due`` (default: two years from now)."""
    due = calibration_due or datetime.now(UTC).date() + timedelta(days=730)
    instrument = add_instrument(
        session,
        InstrumentCreate(
            asset_tag=asset_tag,
            kind=kind,
            manufacturer="Keysight Technologies",
            model=f"{kind.upper()}-1000",
            serial=f"SN-{asset_tag}",
            resource=f"TCPIP0::127.0.0.1::5025::SOCKET#{asset_tag}",
            driver=kind,
            station="station-1",
            calibrated_on=due - timedelta(days=365),
            calibration_due=due,
            calibration_certificate=f"CAL-{asset_tag}",
            setup_buffer_min=setup_buffer_min,
        ),
        SYSTEM,
    )
    session.commit()
    return instrument


@dataclass
class Lab:
    """A small lab: the demo catalog, one calibrated instrument of each kind, an engineer, two customers."""

    company: Company
    customer: User
    other_company: Company
    other_customer: User
    engineer: User
    admin: User
    methods: dict[str, TestMethod] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)


#: The instruments of :func:`make_lab`, one per kind the demo catalog needs.
LAB_INSTRUMENTS = {"SMU-01": "smu", "DMM-01": "dmm", "TEMP-01": "temperature", "AWG-01": "awg", "SCOPE-01": "scope"}


def make_lab(session: Session) -> Lab:
    """Seed :class:`Lab` (also an ``lcr`` meter, so every demo method can be booked)."""
    methods = {m.code: add_method(session, m, SYSTEM) for m in DEMO_METHODS}
    session.commit()
    instruments = {
        tag: make_instrument(session, kind, tag) for tag, kind in {**LAB_INSTRUMENTS, "LCR-01": "lcr"}.items()
    }
    kinds = sorted({k for m in methods.values() for k in m.instrument_kinds})
    company, customer = make_company(session)
    other_company, other_customer = make_company(session)
    return Lab(
        company=company,
        customer=customer,
        other_company=other_company,
        other_customer=other_customer,
        engineer=make_user(session, Role.ENGINEER, qualifications=kinds),
        admin=make_user(session, Role.ADMIN),
        methods=methods,
        instruments=instruments,
    )


def another_engineer(session: Session, lab: Lab) -> User:
    """A second engineer qualified as the lab's engineer is: an engineer does one booking's work at a time."""
    return make_user(session, Role.ENGINEER, qualifications=list(lab.engineer.qualifications))


def lab_start(after: datetime, *, at: time = time(10, 0), zone: str = "Asia/Seoul") -> datetime:
    """The first time ``at`` (lab zone) on a weekday that is not a Korean public holiday, no earlier than ``after``.

    Tests pick their slots with it, relative to now, so they hold on any day they run.
    """
    korean = holidays.country_holidays("KR")
    day = after.astimezone(ZoneInfo(zone)).date()
    while True:
        candidate = datetime.combine(day, at, ZoneInfo(zone)).astimezone(UTC)
        if day.weekday() < 5 and day not in korean and candidate >= after:
            return candidate
        day += timedelta(days=1)
