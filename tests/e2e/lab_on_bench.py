"""A lab on the simulated bench: the demo catalog, the bench's instruments, and bookings ready to run."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from instruments.sim import SimulatedBench
from labsys.audit import SYSTEM, Actor
from labsys.companies.models import Company, Role, User
from labsys.db.types import utcnow
from labsys.demo.equipment import simulated_equipment
from labsys.demo.methods import DEMO_METHODS
from labsys.equipment.models import Instrument
from labsys.equipment.service import add_instrument
from labsys.methods.models import TestMethod
from labsys.methods.service import add_method
from labsys.runs import queueing
from labsys.runs.models import RunCreate
from labsys.timeutil import lab_today
from tests.factories import make_company, make_user
from tests.labsys.runs.received import add_received_booking

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
    def build(cls, session: Session, bench: SimulatedBench, *, resources: Mapping[str, str] | None = None) -> BenchLab:
        """The lab on ``bench``, or on the same bench served by another process at ``resources`` (by tag)."""
        methods = {m.code: add_method(session=session, method_in=m, actor=SYSTEM) for m in DEMO_METHODS}
        today = lab_today(ZoneInfo("Asia/Seoul"))
        instruments = [
            add_instrument(session=session, instrument_in=entry, actor=SYSTEM)
            for entry in simulated_equipment(bench, station=STATION, today=today, resources=resources)
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
        start = utcnow() - timedelta(hours=4 * next(_slot))  # slots that have begun: a run waits for its slot
        booking, sample = add_received_booking(
            session,
            method=method,
            customer=self.customer,
            engineer=self.engineer,
            instruments=chosen,
            start=start,
            sample=(f"{code}-1", code, "intact"),
            buffer_min=30,
        )
        run = queueing.queue_run(
            session=session,
            run_in=RunCreate(booking=booking.id or 0, sample=sample.id or 0, parameters=parameters),
            engineer=self.engineer,
            actor=Actor(self.engineer.email, self.engineer.id),
            today=today,
        )
        session.commit()
        return run.id or 0
