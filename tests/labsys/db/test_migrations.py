"""Migrations build the whole schema from empty, and the models agree with them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Engine, Integer, column, insert, inspect, table, text
from sqlmodel import Session, col, select

from labsys.audit import Actor, AuditEvent, record, verify_chain
from labsys.bookings.models import Booking, BookingStatus
from labsys.db import Database
from labsys.db.types import UTCDateTime
from labsys.migrations import alembic_config, current_revision, upgrade
from labsys.models import metadata
from labsys.runs import lifecycle, queueing
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import AnalysisTrigger, Run, RunAnalysis, RunCreate, RunStatus, Verdict
from labsys.scheduling.models import ReleaseReason, Reservation
from tests.conftest import TestDatabase
from tests.factories import Lab, make_lab
from tests.labsys.runs.conftest import make_ready_booking

ACTOR = Actor("engineer@lab.example.com", None)

pytestmark = pytest.mark.integration


def test_migrations_go_from_empty_to_head_and_autogenerate_finds_no_difference(test_database: TestDatabase) -> None:
    engine = test_database.engine()
    assert current_revision(engine) is None
    upgrade(engine)
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current_revision(engine) == head
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)
    assert diff == []
    engine.dispose()


def test_upgrading_twice_changes_nothing(test_database: TestDatabase) -> None:
    engine = test_database.engine()
    upgrade(engine)
    before = current_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == before
    engine.dispose()


def _indexes(engine: Engine, table: str) -> set[str]:
    return {str(index["name"]) for index in inspect(engine).get_indexes(table)}


def _with_later_columns(engine: Engine) -> None:
    """Give an older schema the nullable columns today's models added since, so that the fixtures, which write
    through today's models, can make the rows a migration is then tried on."""
    inspector = inspect(engine)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(engine.dialect)
                    connection.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))


def _hash_is_unique(engine: Engine) -> bool:
    inspector = inspect(engine)
    constraints = [c["column_names"] for c in inspector.get_unique_constraints("audit_event")]
    unique_indexes = [i["column_names"] for i in inspector.get_indexes("audit_event") if i["unique"]]
    return ["hash"] in constraints + unique_indexes


def _append_events(engine: Engine, count: int) -> None:
    with Database(engine).writing() as session:
        for n in range(count):
            record(session, actor=ACTOR, action="booking.requested", entity_type="booking", entity_id=n, after={"n": n})


def _verified(engine: Engine) -> tuple[int, object]:
    with Database(engine).reading() as session:
        return verify_chain(session)


def test_upgrading_to_0003_keeps_every_audit_event_and_drops_only_the_unused_indexes(
    test_database: TestDatabase,
) -> None:
    engine = test_database.engine()
    upgrade(engine, "0002")
    assert _hash_is_unique(engine)
    _append_events(engine, 25)
    upgrade(engine, "0003")
    assert _verified(engine) == (25, None)
    assert not _hash_is_unique(engine)
    assert "ix_audit_event_action" not in _indexes(engine, "audit_event")
    reservation_indexes = _indexes(engine, "reservation")
    assert "ix_reservation_instrument_id" not in reservation_indexes
    assert {"ix_reservation_booking_id", "ix_reservation_instrument_id_starts_at"} <= reservation_indexes
    _append_events(engine, 5)  # the chain goes on where it stood
    assert _verified(engine) == (30, None)
    engine.dispose()


def test_downgrading_0003_restores_the_indexes_with_the_events(test_database: TestDatabase) -> None:
    engine = test_database.engine()
    upgrade(engine, "0003")
    _append_events(engine, 10)
    command.downgrade(alembic_config(engine), "0002")
    assert _hash_is_unique(engine)
    assert "ix_audit_event_action" in _indexes(engine, "audit_event")
    assert "ix_reservation_instrument_id" in _indexes(engine, "reservation")
    assert _verified(engine) == (10, None)
    engine.dispose()


def test_upgrading_to_0006_records_the_stations_analysis_of_each_completed_run_as_its_first_version(
    test_database: TestDatabase,
) -> None:
    engine = test_database.engine()
    upgrade(engine, "0005")
    _with_later_columns(engine)
    with Session(engine, expire_on_commit=False) as session:
        ready = make_ready_booking(session)
        run_in = RunCreate(booking=ready.booking.id or 0, sample=ready.sample.id or 0)
        actor = Actor(ready.engineer.email, ready.engineer.id)
        today = date.today()  # noqa: DTZ011 - the fixture's instruments are calibrated around today
        for _ in range(2):  # one to complete, one left queued
            queueing.queue_run(session=session, run_in=run_in, engineer=ready.engineer, actor=actor, today=today)
        session.commit()
        completed = lifecycle.claim_next_run(session=session, station="station-1")
        assert completed is not None
        metrics = {"ideality_factor": {"value": 1.9, "expanded_uncertainty": 0.05, "units": "1"}}
        outcome = RunOutcome(RunStatus.COMPLETED, metrics=metrics, verdict=Verdict.PASS, hdf5_sha256="ab" * 32)
        lifecycle.finish_run(session=session, run_id=completed.id or 0, outcome=outcome)
        session.commit()

    upgrade(engine, "0006")

    with Session(engine) as session:
        (version,) = session.exec(select(RunAnalysis)).all()
        assert (version.run_id, version.version, version.program) == (completed.id, 1, "")
        assert (version.metrics, version.verdict, version.file_sha256) == (metrics, Verdict.PASS, "ab" * 32)
        assert (version.triggered_by, version.actor) == (AnalysisTrigger.STATION, "station:station-1")
        finished = session.get(Run, completed.id)
        assert finished is not None
        assert version.created_at == finished.finished_at
    engine.dispose()


def test_upgrading_to_0007_gives_every_existing_certificate_a_verification_code_of_its_own(
    test_database: TestDatabase,
) -> None:
    engine = test_database.engine()
    upgrade(engine, "0006")
    _with_later_columns(engine)
    with Session(engine, expire_on_commit=False) as session:
        ready = make_ready_booking(session)
    insert = text(
        "INSERT INTO certificate (number, status, issued_at, amendment_reason, revoked_reason, pdf_sha256, "
        "booking_id, issued_by_id, pdf_path) VALUES (:number, 'issued', :issued_at, '', '', :sha, :booking, "
        ":issuer, :path)"
    )
    with engine.begin() as connection:
        for number in ("LAB-2026-000001", "LAB-2026-000002"):
            connection.execute(
                insert,
                {
                    "number": number,
                    "issued_at": "2026-12-01 00:00:00.000000",
                    "sha": "ab" * 32,
                    "booking": ready.booking.id,
                    "issuer": ready.engineer.id,
                    "path": f"certificates/{number}.pdf",
                },
            )

    upgrade(engine, "0007")

    with engine.connect() as connection:
        codes = connection.execute(text("SELECT verification_code FROM certificate ORDER BY id")).scalars().all()
    assert len(codes) == len(set(codes)) == 2
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{16}", code) for code in codes)
    command.downgrade(alembic_config(engine), "0006")
    assert "verification_code" not in {c["name"] for c in inspect(engine).get_columns("certificate")}
    engine.dispose()


def test_upgrading_to_0008_turns_a_bookings_copies_of_its_company_into_references_and_back(
    test_database: TestDatabase,
) -> None:
    engine = test_database.engine()
    upgrade(engine, "0006")
    _with_later_columns(engine)
    with Session(engine, expire_on_commit=False) as session:
        ready = make_ready_booking(session)
        company = ready.company
        copy = {
            "name": company.name,
            "address": company.address,
            "business_registration_number": company.business_registration_number,
            "contact": "QA team",
        }
        other = {"name": "Daehan", "address": "", "business_registration_number": "2208162517", "contact": ""}
        ready.booking.applicant, ready.booking.payer = copy, other
        session.add(ready.booking)
        session.commit()

    upgrade(engine, "0008")

    with Session(engine) as session:
        booking = session.get(Booking, ready.booking.id)
        assert booking is not None
        assert booking.applicant == {"booking_company": True, "contact": "QA team"}
        assert booking.payer == other  # another business stays as it was given
    command.downgrade(alembic_config(engine), "0006")
    with Session(engine) as session:
        booking = session.get(Booking, ready.booking.id)
        assert booking is not None
        assert booking.applicant == copy
    engine.dispose()


_OLD_RESERVATION = table(
    "reservation",
    column("booking_id", Integer()),
    column("instrument_id", Integer()),
    column("starts_at", UTCDateTime()),
    column("ends_at", UTCDateTime()),
    column("blocked_until", UTCDateTime()),
    column("active", Boolean()),
)


def _old_booking(session: Session, lab: Lab, start: datetime, **fields: object) -> Booking:
    method = lab.methods["DIODE-IV"]
    booking = Booking(
        company_id=lab.company.id or 0, method_id=method.id or 0, method_version=method.version,
        requested_by_id=lab.customer.id or 0, quantity=1, fee_krw=method.fee_krw, starts_at=start,
        ends_at=start + timedelta(hours=1), **fields,
    )  # fmt: skip
    session.add(booking)
    session.commit()
    return booking


def _old_reservation(engine: Engine, lab: Lab, booking: Booking, start: datetime, *, active: bool) -> None:
    end = start + timedelta(hours=1)
    with engine.begin() as connection:
        connection.execute(
            insert(_OLD_RESERVATION).values(
                booking_id=booking.id, instrument_id=lab.instruments["SMU-01"].id, starts_at=start, ends_at=end,
                blocked_until=end, active=active,
            )
        )  # fmt: skip


def test_upgrading_to_0012_tells_each_released_reservation_why_from_the_audit_trail(
    test_database: TestDatabase,
) -> None:
    engine = test_database.engine()
    upgrade(engine, "0011")
    first, second, third = (datetime(2026, 12, day, 1, tzinfo=UTC) for day in (1, 2, 3))
    actor = Actor("engineer@lab.example.com", None)
    with Session(engine, expire_on_commit=False) as session:
        lab = make_lab(session)
        moved = _old_booking(session, lab, third)  # a no-show on the 1st, then moved to the 2nd, then to the 3rd
        cancelled = _old_booking(session, lab, first, status=BookingStatus.CANCELLED)
        unexplained = _old_booking(session, lab, first + timedelta(hours=3), status=BookingStatus.CANCELLED)
        for booking, start, active in [
            (moved, first, False),
            (moved, second, False),
            (moved, third, True),
            (cancelled, first + timedelta(hours=1), False),
            (unexplained, first, False),
        ]:
            _old_reservation(engine, lab, booking, start, active=active)  # fmt: skip
        ids = session.exec(select(Reservation.id).order_by(col(Reservation.id))).all()
        record(session, actor=actor, action="booking.no_show", entity_type="booking", entity_id=moved.id,
               before={"starts_at": first.isoformat()}, after={"released_reservations": [ids[0]]})  # fmt: skip
        for action, booking, start in [
            ("booking.rescheduled", moved, first),
            ("booking.planned", moved, second),
            ("booking.cancelled", cancelled, first + timedelta(hours=1)),
        ]:
            record(session, actor=actor, action=action, entity_type="booking", entity_id=booking.id,
                   before={"starts_at": start.isoformat()}, after={})  # fmt: skip
        session.commit()
        events = {e.action: e.at for e in session.exec(select(AuditEvent))}

    upgrade(engine, "0012")

    with Session(engine) as session:
        reasons = [
            (r.release_reason, r.released_at) for r in session.exec(select(Reservation).order_by(Reservation.id))
        ]
    assert reasons == [
        (ReleaseReason.NO_SHOW, events["booking.no_show"]),
        (ReleaseReason.REPLANNED, events["booking.planned"]),
        (None, None),  # still held
        (ReleaseReason.CANCELLED, events["booking.cancelled"]),
        (None, None),  # no event tells why: utilisation reads it as before
    ]
    command.downgrade(alembic_config(engine), "0011")
    assert "release_reason" not in {c["name"] for c in inspect(engine).get_columns("reservation")}
    engine.dispose()
