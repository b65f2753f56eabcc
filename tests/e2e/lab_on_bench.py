"""A lab on the simulated bench: the demo catalog, the bench's instruments, and bookings ready to run."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from instruments.sim import SimulatedBench
from labsys.audit.chain import SYSTEM, Actor
from labsys.bench import bench_registry
from labsys.bookings.models import Booking, BookingStatus, Reservation, Sample
from labsys.catalog.demo_methods import DEMO_METHODS
from labsys.catalog.models import TestMethod
from labsys.catalog.service import add_method
from labsys.companies.models import Company, Role, User
from labsys.db.types import utcnow
from labsys.registry.models import Instrument
from labsys.registry.service import add_instrument
from labsys.runs import service
from labsys.runs.schemas import RunCreate
from labsys.timeutil import lab_today
from tests.factories import make_company, make_user

__all__ = ["STATION", "BenchLab"]

STATION = "bench-station"
_slot = itertools.count()


@dataclass
class BenchLab:
    """The demo catalog and the bench's instruments in a fresh database, with a customer and an engineer."""

    methods: dict[str, TestMethod]
    instruments: list[Instrument]
    company: Company
    customer: User
    engineer: User

    @classmethod
    def build(cls, session: Session, bench: SimulatedBench) -> BenchLab:
        methods = {m.code: add_method(session=session, method_in=m, actor=SYSTEM) for m in DEMO_METHODS}
        today = lab_today(ZoneInfo("Asia/Seoul"))
        instruments = [
            add_instrument(session=session, instrument_in=entry, actor=SYSTEM)
            for entry in bench_registry(bench, station=STATION, today=today)
        ]
        session.commit()
        company, customer = make_company(session)
        kinds = sorted({i.kind for i in instruments})
        engineer = make_user(session, Role.ENGINEER, qualifications=kinds)
        return cls(methods, instruments, company, customer, engineer)

    def queue(self, session: Session, code: str, **parameters: float) -> int:
        """A received booking of ``code`` on the bench's usable instruments, and a run of it queued."""
        method = self.methods[code]
        today = lab_today(ZoneInfo("Asia/Seoul"))
        chosen = [
            next(i for i in self.instruments if i.kind == kind and i.usable_on(today))
            for kind in method.instrument_kinds
        ]
        start = utcnow() + timedelta(hours=4 * next(_slot))
        booking = Booking(
            company_id=self.company.id or 0,
            method_id=method.id or 0,
            method_version=method.version,
            requested_by_id=self.customer.id or 0,
            status=BookingStatus.SAMPLE_RECEIVED,
            quantity=1,
            fee_krw=method.fee_krw,
            starts_at=start,
            ends_at=start + timedelta(minutes=method.duration_min),
        )
        session.add(booking)
        session.flush()
        sample = Sample(
            booking_id=booking.id or 0,
            label=f"{code}-1",
            description=code,
            condition_on_receipt="intact",
            received_at=start,
            received_by_id=self.engineer.id,
        )
        session.add(sample)
        for instrument in chosen:
            session.add(
                Reservation(
                    booking_id=booking.id or 0,
                    instrument_id=instrument.id or 0,
                    starts_at=start,
                    ends_at=booking.ends_at,
                    blocked_until=booking.ends_at + timedelta(minutes=30),
                )
            )
        session.flush()
        run = service.queue_run(
            session=session,
            run_in=RunCreate(booking=booking.id or 0, sample=sample.id or 0, parameters=parameters),
            engineer=self.engineer,
            actor=Actor(self.engineer.email, self.engineer.id),
            today=today,
        )
        session.commit()
        return run.id or 0
