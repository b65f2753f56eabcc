"""A small lab with a received booking, ready for runs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from labsys.audit import SYSTEM
from labsys.bookings.models import Booking, Sample
from labsys.companies.models import Company, Role, User
from labsys.db.types import utcnow
from labsys.demo.methods import DEMO_METHODS
from labsys.equipment.models import Instrument, InstrumentCreate
from labsys.equipment.service import add_instrument
from labsys.methods.models import TestMethod, TestMethodCreate
from labsys.methods.service import add_method
from labsys.timeutil import lab_today
from tests.factories import make_company, make_user
from tests.labsys.runs.received import add_received_booking

__all__ = ["ReadyBooking", "make_ready_booking"]

_slot = itertools.count()


@dataclass
class ReadyBooking:
    """A booking whose sample has arrived, its instruments reserved, and an engineer qualified for it."""

    company: Company
    customer: User
    engineer: User
    method: TestMethod
    booking: Booking
    sample: Sample
    instruments: list[Instrument]


def _instrument(kind: str, station: str) -> InstrumentCreate:
    today = lab_today(ZoneInfo("Asia/Seoul"))
    return InstrumentCreate(
        asset_tag=f"{kind.upper()}-{station}",
        kind=kind,
        manufacturer="Keysight Technologies",
        model="X",
        serial=f"SN-{kind}-{station}",
        resource=f"TCPIP0::127.0.0.1::5025::SOCKET#{kind}",
        driver=kind,
        station=station,
        calibrated_on=today - timedelta(days=100),
        calibration_due=today + timedelta(days=265),
        calibration_certificate="CAL-1",
    )


def _existing_or_new(session: Session, instrument_in: InstrumentCreate) -> Instrument:
    query = select(Instrument).where(Instrument.asset_tag == instrument_in.asset_tag)
    return session.exec(query).first() or add_instrument(session=session, instrument_in=instrument_in, actor=SYSTEM)


def make_ready_booking(
    session: Session,
    *,
    code: str = "DIODE-IV",
    station: str = "station-1",
    method_in: TestMethodCreate | None = None,
    company_name: str | None = None,
) -> ReadyBooking:
    """A booking of ``code`` (or of ``method_in``) whose sample was received, with its instruments on ``station``,
    by a company named ``company_name`` (default: a name of its own)."""
    method_in = method_in or next(m for m in DEMO_METHODS if m.code == code)
    code = method_in.code
    method = session.exec(select(TestMethod).where(TestMethod.code == code)).first() or add_method(
        session=session, method_in=method_in, actor=SYSTEM
    )
    instruments = [_existing_or_new(session, _instrument(k, station)) for k in method.instrument_kinds]
    company, customer = make_company(session, name=company_name)
    engineer = make_user(session, Role.ENGINEER, qualifications=list(method.instrument_kinds))
    # Slots that have begun (a run waits for its slot), one instrument never holding two bookings at once.
    now = utcnow() - timedelta(hours=3 * next(_slot))
    booking, sample = add_received_booking(
        session,
        method=method,
        customer=customer,
        engineer=engineer,
        instruments=instruments,
        start=now,
        sample=("S-1", "1N4148 diode", "intact, sealed bag"),
    )
    session.commit()
    return ReadyBooking(company, customer, engineer, method, booking, sample, instruments)


@pytest.fixture
def ready(session: Session) -> ReadyBooking:
    """A received DIODE-IV booking with its SMU on station-1."""
    return make_ready_booking(session)
