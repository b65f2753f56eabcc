"""The labsys command: database upgrade, and creating and unlocking users from a shell."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from labsys.audit import AuditEvent
from labsys.bookings.models import Booking
from labsys.companies.models import Role, SignInFailure, User
from labsys.companies.passwords import verify_password
from labsys.scheduling.models import EngineerLeave, EngineerShift, Reservation
from tests.conftest import TestDatabase
from tests.factories import PASSWORD, make_lab
from tests.labsys.planning.lab import waiting_booking
from tests.labsys.runs.received import add_received_booking

pytestmark = pytest.mark.integration


def _labsys(database: TestDatabase, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABSYS_DATABASE_URL": database.standalone_url, "LABSYS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "labsys", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_users_create_makes_a_user_who_signs_in_with_that_password(test_database: TestDatabase, tmp_path: Path) -> None:
    result = _labsys(
        test_database,
        tmp_path,
        "users",
        "create",
        "--email",
        "Kim@Lab.example.com",
        "--password",
        "a-long-password",
        "--role",
        "engineer",
        "--qualification",
        "smu",
        "--qualification",
        "dmm",
    )
    assert result.returncode == 0, result.stderr
    assert "created engineer kim@lab.example.com" in result.stdout
    engine = test_database.engine()
    with Session(engine) as session:
        user = session.exec(select(User)).one()
    engine.dispose()
    assert (user.email, user.role, user.qualifications) == ("kim@lab.example.com", Role.ENGINEER, ["dmm", "smu"])
    assert verify_password(user.password_hash, "a-long-password")


def test_a_customer_without_a_company_is_refused_with_the_reason(test_database: TestDatabase, tmp_path: Path) -> None:
    result = _labsys(
        test_database,
        tmp_path,
        "users",
        "create",
        "--email",
        "c@example.com",
        "--password",
        "a-long-password",
        "--role",
        "customer",
    )
    assert result.returncode != 0
    assert "company_id" in result.stderr


def test_db_upgrade_says_where_the_database_is(test_database: TestDatabase, tmp_path: Path) -> None:
    result = _labsys(test_database, tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "newest schema" in result.stdout


def test_a_bad_setting_stops_the_command_naming_the_variable(test_database: TestDatabase) -> None:
    env = {**os.environ, "LABSYS_DATABASE_URL": test_database.standalone_url, "LABSYS_TOKEN_TTL_MIN": "forever"}
    result = subprocess.run(
        [sys.executable, "-m", "labsys", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "LABSYS_TOKEN_TTL_MIN" in result.stderr


def test_users_create_refuses_a_password_easy_to_guess(test_database: TestDatabase, tmp_path: Path) -> None:
    result = _labsys(
        test_database,
        tmp_path,
        "users",
        "create",
        "--email",
        "e@lab.example.com",
        "--password",
        "password12",
        "--role",
        "admin",
    )
    assert result.returncode != 0
    assert "too easy to guess" in result.stderr


def test_users_unlock_lifts_a_sign_in_lock(test_database: TestDatabase, tmp_path: Path) -> None:
    created = _labsys(
        test_database,
        tmp_path,
        "users",
        "create",
        "--email",
        "kim@lab.example.com",
        "--password",
        PASSWORD,
        "--role",
        "admin",
    )
    assert created.returncode == 0, created.stderr
    engine = test_database.engine()
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add_all(
            SignInFailure(email="kim@lab.example.com", address="192.0.2.1", failed_at=now - timedelta(seconds=n))
            for n in range(50)
        )
        session.commit()

    result = _labsys(test_database, tmp_path, "users", "unlock", "KIM@lab.example.com")

    with Session(engine) as session:
        left = session.exec(select(SignInFailure)).all()
        actions = session.exec(select(AuditEvent.action)).all()
    engine.dispose()
    assert result.returncode == 0, result.stderr
    assert "sign-in unlocked for kim@lab.example.com" in result.stdout
    assert left == []
    assert "user.sign_in_unlocked" in actions
    assert _labsys(test_database, tmp_path, "users", "unlock", "nobody@example.com").returncode != 0


def test_bookings_release_no_shows_releases_a_slot_nobody_used_and_then_finds_nothing(
    test_database: TestDatabase, tmp_path: Path
) -> None:
    assert _labsys(test_database, tmp_path, "db", "upgrade").returncode == 0
    engine = test_database.engine()
    with Session(engine) as session:
        lab = make_lab(session)
        booking, _ = add_received_booking(
            session,
            method=lab.methods["DIODE-IV"],
            customer=lab.customer,
            engineer=lab.engineer,
            instruments=[lab.instruments["SMU-01"]],
            start=datetime.now(UTC) - timedelta(hours=2),  # the default no-show time is an hour
            sample=("S-1", "diode", "intact"),
        )
        session.commit()
        booking_id = booking.id

    first = _labsys(test_database, tmp_path, "bookings", "release-no-shows")
    again = _labsys(test_database, tmp_path, "bookings", "release-no-shows")

    with Session(engine) as session:
        active = session.exec(select(Reservation).where(Reservation.booking_id == booking_id, Reservation.active)).all()
    engine.dispose()
    assert first.returncode == 0, first.stderr
    assert f"booking {booking_id}: slot released" in first.stdout
    assert again.returncode == 0, again.stderr
    assert "no no-shows to release" in again.stdout
    assert active == []


def test_users_shifts_and_leave_set_an_engineers_time(test_database: TestDatabase, tmp_path: Path) -> None:
    email = "lee@lab.example.com"
    created = _labsys(
        test_database, tmp_path, "users", "create", "--email", email, "--password", PASSWORD, "--role", "engineer"
    )
    assert created.returncode == 0, created.stderr

    shifts = _labsys(
        test_database, tmp_path, "users", "shifts", email, "--shift", "mon 09:00-13:00", "--shift", "wed 13:00-18:00"
    )
    leave = _labsys(
        test_database, tmp_path, "users", "leave", email, "--first", "2026-12-21", "--last", "2026-12-24",
        "--reason", "annual leave",
    )  # fmt: skip
    backwards = _labsys(test_database, tmp_path, "users", "shifts", email, "--shift", "tue 18:00-09:00")

    assert shifts.returncode == 0, shifts.stderr
    assert "2 weekly shifts" in shifts.stdout
    assert leave.returncode == 0, leave.stderr
    assert backwards.returncode != 0
    assert "must come after its starts_at" in backwards.stderr
    engine = test_database.engine()
    with Session(engine) as session:
        stored = session.exec(select(EngineerShift.weekday, EngineerShift.starts_at)).all()
        days_off = session.exec(select(EngineerLeave.first_day, EngineerLeave.last_day)).all()
    engine.dispose()
    assert sorted(stored) == [(0, time(9)), (2, time(13))]
    assert days_off == [(date(2026, 12, 21), date(2026, 12, 24))]


def test_plan_prints_the_weeks_proposal_and_applies_it_with_apply(test_database: TestDatabase, tmp_path: Path) -> None:
    assert _labsys(test_database, tmp_path, "db", "upgrade").returncode == 0
    engine = test_database.engine()
    with Session(engine) as session:
        lab = make_lab(session)
        waiting = waiting_booking(
            session, method=lab.methods["DIODE-IV"], customer=lab.customer, received_at=datetime.now(UTC)
        )
        booking_id = waiting.id
    year, week, _ = (datetime.now(UTC) + timedelta(days=7)).isocalendar()
    week_name = f"{year}-W{week:02d}"

    shown = _labsys(test_database, tmp_path, "plan", "--week", week_name, "--time-limit", "2")
    with Session(engine) as session:
        untouched = session.get(Booking, booking_id)
        assert untouched is not None
        assert untouched.starts_at is None
    applied = _labsys(test_database, tmp_path, "plan", "--week", week_name, "--time-limit", "2", "--apply")
    bad = _labsys(test_database, tmp_path, "plan", "--week", "2026-W60")

    with Session(engine) as session:
        held = session.exec(select(Reservation).where(Reservation.booking_id == booking_id, Reservation.active)).all()
    engine.dispose()
    assert shown.returncode == 0, shown.stderr
    assert "solver: OPTIMAL" in shown.stdout
    assert "promises broken:" in shown.stdout
    row = next(line for line in shown.stdout.splitlines() if line.strip().startswith(str(booking_id)))
    assert "assigned" in row
    assert "SMU-01" in row
    assert applied.returncode == 0, applied.stderr
    assert "applied" in applied.stdout.splitlines()[-1]
    assert len(held) == 1
    assert bad.returncode != 0
    assert "2026 has no week 60" in bad.stderr
