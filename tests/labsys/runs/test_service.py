"""Queueing runs, claiming them, ending them, abort and interruption."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from labsys.audit import Actor, verify_chain
from labsys.bookings.models import BookingStatus
from labsys.db import Database
from labsys.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from labsys.runs import lifecycle, queries, queueing
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import Run, RunCreate, RunStatus, Verdict
from labsys.scheduling.models import Reservation
from tests.factories import make_company
from tests.labsys.runs.conftest import ReadyBooking, make_ready_booking

pytestmark = pytest.mark.integration

TODAY = date.today()  # noqa: DTZ011 - instruments in the fixture are calibrated for a year around today


def _queue(session: Session, ready: ReadyBooking, **parameters: float) -> Run:
    run = queueing.queue_run(
        session=session,
        run_in=RunCreate(booking=ready.booking.id or 0, sample=ready.sample.id or 0, parameters=parameters),
        engineer=ready.engineer,
        actor=Actor(ready.engineer.email, ready.engineer.id),
        today=TODAY,
    )
    session.commit()
    return run


def test_a_queued_run_holds_exact_parameters_and_moves_the_booking_to_testing(
    session: Session, ready: ReadyBooking
) -> None:
    run = _queue(session, ready, stop_voltage=0.8123456789)
    assert run.status == RunStatus.QUEUED
    assert run.parameters["stop_voltage"] == {"value": 0.8123456789, "unit": "V"}
    assert run.parameters["compliance_current"] == {"value": 0.1, "unit": "A"}
    assert ready.booking.status == BookingStatus.TESTING
    assert [i.asset_tag for i in queries.run_instruments(session, run.id or 0)] == ["SMU-station-1"]
    assert verify_chain(session)[1] is None


def test_a_parameter_outside_the_methods_limits_is_refused_naming_it(session: Session, ready: ReadyBooking) -> None:
    with pytest.raises(InvalidInput, match="compliance_current") as caught:
        _queue(session, ready, compliance_current=5.0)
    assert caught.value.field == "parameters.compliance_current"
    assert session.exec(select(Run)).all() == []


def test_an_unknown_parameter_is_refused(session: Session, ready: ReadyBooking) -> None:
    with pytest.raises(InvalidInput, match="unknown parameter 'voltage'"):
        _queue(session, ready, voltage=1.0)


def test_testing_cannot_start_before_the_sample_is_received(session: Session, ready: ReadyBooking) -> None:
    ready.booking.status = BookingStatus.CONFIRMED
    ready.sample.received_at = None
    session.add(ready.booking)
    session.add(ready.sample)
    session.commit()
    with pytest.raises(Conflict, match="received"):
        _queue(session, ready)


def test_an_unqualified_engineer_is_refused(session: Session, ready: ReadyBooking) -> None:
    ready.engineer.qualifications = ["dmm"]
    session.add(ready.engineer)
    session.commit()
    with pytest.raises(RuleViolation, match="not qualified") as caught:
        _queue(session, ready)
    assert caught.value.rule == "engineer_qualified"


def test_only_an_engineer_runs_a_test(session: Session, ready: ReadyBooking) -> None:
    with pytest.raises(PermissionDenied):
        queueing.queue_run(
            session=session,
            run_in=RunCreate(booking=ready.booking.id or 0, sample=ready.sample.id or 0),
            engineer=ready.customer,
            actor=Actor(ready.customer.email),
            today=TODAY,
        )


def test_an_instrument_out_of_calibration_is_refused(session: Session, ready: ReadyBooking) -> None:
    smu = ready.instruments[0]
    smu.calibration_due = TODAY - timedelta(days=1)
    session.add(smu)
    session.commit()
    with pytest.raises(RuleViolation, match="out of calibration") as caught:
        _queue(session, ready)
    assert caught.value.rule == "instrument_usable"


def test_a_station_claims_only_runs_whose_instruments_are_its_own(session: Session, ready: ReadyBooking) -> None:
    run = _queue(session, ready)
    assert lifecycle.claim_next_run(session=session, station="station-2") is None
    claimed = lifecycle.claim_next_run(session=session, station="station-1")
    session.commit()
    assert claimed is not None
    assert claimed.id == run.id
    assert (claimed.status, claimed.station) == (RunStatus.RUNNING, "station-1")
    assert lifecycle.claim_next_run(session=session, station="station-1") is None


def test_two_stations_racing_never_take_the_same_run(engine: Engine, session: Session) -> None:
    for _ in range(6):
        ready = make_ready_booking(session, station="shared")
        _queue(session, ready)
    db = Database(engine)
    taken: list[int] = []
    lock = threading.Lock()

    def station() -> None:
        while True:
            with db.writing() as s:
                run = lifecycle.claim_next_run(session=s, station="shared")
                if run is None:
                    return
                with lock:
                    taken.append(run.id or 0)

    threads = [threading.Thread(target=station) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(taken) == sorted(set(taken))
    assert len(taken) == 6


def test_finishing_a_run_records_results_and_the_reservation_times(session: Session, ready: ReadyBooking) -> None:
    _queue(session, ready)
    run = lifecycle.claim_next_run(session=session, station="station-1")
    assert run is not None
    outcome = RunOutcome(
        RunStatus.COMPLETED,
        metrics={"ideality_factor": {"value": 1.9}},
        verdict=Verdict.PASS,
        hdf5_path="runs/1.h5",
        hdf5_sha256="ab" * 32,
        rows_committed=56,
    )
    finished = lifecycle.finish_run(session=session, run_id=run.id or 0, outcome=outcome)
    session.commit()
    assert (finished.status, finished.verdict, finished.progress) == (RunStatus.COMPLETED, Verdict.PASS, 100.0)
    assert finished.finished_at is not None
    reservation = session.exec(select(Reservation).where(Reservation.booking_id == ready.booking.id)).one()
    assert reservation.actual_start == run.started_at
    assert reservation.actual_end == finished.finished_at
    with pytest.raises(Conflict, match="already ended"):
        lifecycle.finish_run(session=session, run_id=run.id or 0, outcome=outcome)


def test_aborting_a_queued_run_ends_it_at_once(session: Session, ready: ReadyBooking) -> None:
    run = _queue(session, ready)
    aborted = lifecycle.request_abort(session=session, run_id=run.id or 0, actor=Actor("engineer"))
    session.commit()
    assert aborted.status == RunStatus.ABORTED
    assert lifecycle.claim_next_run(session=session, station="station-1") is None


def test_aborting_a_running_run_is_seen_by_its_next_progress_report(session: Session, ready: ReadyBooking) -> None:
    _queue(session, ready)
    run = lifecycle.claim_next_run(session=session, station="station-1")
    assert run is not None
    assert lifecycle.record_progress(session=session, run_id=run.id or 0, progress=10, rows_committed=5) is False
    lifecycle.request_abort(session=session, run_id=run.id or 0, actor=Actor("engineer"))
    session.commit()
    assert lifecycle.record_progress(session=session, run_id=run.id or 0, progress=20, rows_committed=9) is True


def test_a_restarting_station_marks_its_running_runs_interrupted(session: Session, ready: ReadyBooking) -> None:
    _queue(session, ready)
    run = lifecycle.claim_next_run(session=session, station="station-1")
    assert run is not None
    lifecycle.record_progress(session=session, run_id=run.id or 0, progress=40, rows_committed=20)
    session.commit()
    assert lifecycle.interrupt_station_runs(session=session, station="station-1") == [run.id]
    session.commit()
    stored = session.get(Run, run.id)
    assert stored is not None
    assert stored.status == RunStatus.INTERRUPTED
    assert stored.rows_committed == 20


def test_a_customer_sees_only_runs_of_its_own_company(session: Session, ready: ReadyBooking) -> None:
    run = _queue(session, ready)
    other, _ = make_company(session)
    assert queries.get_run(session=session, run_id=run.id or 0, company_id=ready.company.id).id == run.id
    with pytest.raises(NotFound):
        queries.get_run(session=session, run_id=run.id or 0, company_id=other.id)
    assert queries.list_runs(session=session, company_id=other.id) == []
