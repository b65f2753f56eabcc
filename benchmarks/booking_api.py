"""Benchmark bookings through the real server: creation throughput and latency against the bare JSON endpoint,
and availability for one week with 100,000 reservations in the database.

Run: ``uv run python benchmarks/booking_api.py [--clients 50] [--bookings 2000] [--reservations 100000]
[--database-url URL]``. The lab's app runs under uvicorn in a subprocess on a loopback port, as ``labsys serve``
runs it (on SQLite with its booking writer process beside it), on a fresh, migrated SQLite file (or an empty
PostgreSQL database). Both endpoints are warmed up before they are measured. Targets: booking throughput at least
0.3 of ``GET /api/health``'s, p99 under 50 ms, availability under 20 ms.

The clients are keep-alive connections in one asyncio process of their own (``benchmarks/loadgen.py``), so the bare
endpoint's figure is the server's, not the client's: a client in Python threads (httpx) saturates at about a
fifth of what the server answers, which would flatter the ratio.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from loadgen import LoadResult, http_request, run_load
from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from labsys.audit import SYSTEM
from labsys.bookings.models import Booking, BookingStatus
from labsys.companies.models import Company, CompanyRegistration, Role, UserCreate
from labsys.companies.service import create_user, register_company
from labsys.db import create_lab_engine, session_factory
from labsys.demo.methods import DEMO_METHODS
from labsys.equipment.models import Instrument, InstrumentCreate
from labsys.equipment.service import add_instrument
from labsys.methods.models import TestMethod
from labsys.methods.service import add_method, get_method
from labsys.migrations import upgrade
from labsys.scheduling import find_slots, policy_for
from labsys.scheduling.models import Reservation
from labsys.settings import load_settings

RATIO_TARGET, P99_TARGET_MS, AVAILABILITY_TARGET_MS = 0.3, 50.0, 20.0
PASSWORD = "benchmark lab password"  # noqa: S105 - a throwaway lab in a temporary folder
KINDS = {"smu": 20, "dmm": 15, "temperature": 15}
SLOT_HOURS = (9.0, 10.5, 12.0, 13.5, 15.0, 16.5)  # a 60-minute test plus 15 minutes' setup, all day
SEOUL_OFFSET = timedelta(hours=9)
ENV = {"LABSYS_BOOKING_WEEKLY_QUOTA": "1000000", "LABSYS_BOOKING_MAX_ADVANCE_DAYS": "730"}


def _seed_lab(engine: Engine) -> str:
    """The catalog, the instruments, an engineer and one customer; the customer's email."""
    with session_factory(engine).begin() as session:
        for method in DEMO_METHODS:
            add_method(session=session, method_in=method, actor=SYSTEM)
        due = datetime.now(UTC).date() + timedelta(days=1000)
        for kind, count in KINDS.items():
            for n in range(1, count + 1):
                add_instrument(session=session, instrument_in=_instrument(kind, n, due), actor=SYSTEM)
        user = UserCreate(
            email="engineer@lab.example.com", name="Bench Engineer", password=PASSWORD, role=Role.ENGINEER,
            qualifications=list(KINDS),
        )  # fmt: skip
        create_user(session=session, user_in=user, actor=SYSTEM)
        _, customer = register_company(session=session, registration=_company("1248100998", "bench@example.com"))
        register_company(session=session, registration=_company("2208162517", "seed@example.com", "Seed Works"))
        return customer.email


def _instrument(kind: str, n: int, due: date) -> InstrumentCreate:
    return InstrumentCreate(
        asset_tag=f"{kind.upper()}-{n:02d}", kind=kind, manufacturer="Keysight", model="B2902A", serial=f"S{n}",
        resource=f"TCPIP0::127.0.0.1::{5000 + n}::SOCKET", driver=kind, station="station-1",
        calibrated_on=due - timedelta(days=1000), calibration_due=due, calibration_certificate="CAL",
    )  # fmt: skip


def _company(brn: str, email: str, name: str = "Bench Materials") -> CompanyRegistration:
    return CompanyRegistration(
        name=name, business_registration_number=brn, address="1 Sandan-ro", contact_name="Kim",
        contact_email=email, password=PASSWORD,
    )  # fmt: skip


_POLICY = policy_for(load_settings(**{k.removeprefix("LABSYS_").lower(): v for k, v in ENV.items()}))


def _open_days(first: date) -> Iterator[date]:
    """The days the lab is open from ``first`` on (no weekends, no Korean public holidays)."""
    day = first
    while True:
        if _POLICY.closed_reason(day) is None:
            yield day
        day += timedelta(days=1)


def _slot_start(day: date, hour: float) -> datetime:
    local = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour)
    return local - SEOUL_OFFSET


def _seed_reservations(engine: Engine, total: int) -> None:
    """``total`` bookings of other companies, one reservation each, four slots in five taken, from a year ago on."""
    with Session(engine) as session:
        instruments = session.execute(select(Instrument.id, Instrument.kind)).all()
        method_id = session.execute(select(TestMethod.id).where(TestMethod.code == "DIODE-IV")).scalar_one()
        company_id = session.execute(select(Company.id).where(Company.name == "Seed Works")).scalar_one()
    start_day = datetime.now(UTC).date() - timedelta(days=365)
    bookings, reservations = [], []
    slots = ((d, h) for d in _open_days(start_day) for h in SLOT_HOURS)
    for n, (day, hour) in enumerate(slots):
        if len(reservations) >= total:
            break
        if n % 5 == 0:
            continue
        for instrument_id, _kind in instruments:
            if len(reservations) >= total:
                break
            begin = _slot_start(day, hour)
            booking_id = len(bookings) + 1_000_000
            bookings.append(_booking_row(booking_id, company_id, method_id, begin))
            reservations.append(
                {"booking_id": booking_id, "instrument_id": instrument_id, "starts_at": begin, "active": True,
                 "ends_at": begin + timedelta(minutes=60), "blocked_until": begin + timedelta(minutes=75)}
            )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(Booking), bookings)
        connection.execute(insert(Reservation), reservations)


def _booking_row(booking_id: int, company_id: int, method_id: int, begin: datetime) -> dict[str, object]:
    now = datetime.now(UTC)
    return {
        "id": booking_id, "company_id": company_id, "method_id": method_id, "method_version": 1,
        "requested_by_id": 1, "status": BookingStatus.CONFIRMED, "urgency": "standard", "quantity": 1,
        "fee_krw": 180_000, "applicant": {}, "payer": {}, "report_recipient": {}, "starts_at": begin,
        "ends_at": begin + timedelta(minutes=60), "note": "", "created_at": now, "updated_at": now,
    }  # fmt: skip


def _serve(database_url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, **ENV, "LABSYS_DATABASE_URL": database_url, "LABSYS_DATA_DIR": str(data_dir)}
    command = [
        sys.executable, "-m", "uvicorn", "api.app:create_app_from_environment", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/api/health").status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the server did not start")


def _booking_requests(base: str, token: str, first_day: date, count: int) -> list[bytes]:
    """``count`` bookings, each of the next start: every grid start of every weekday, once per SMU."""
    starts = ((d, h) for d in _open_days(first_day) for h in SLOT_HOURS for _ in range(KINDS["smu"]))
    host = base.removeprefix("http://")
    headers = {"Authorization": f"Bearer {token}"}
    requests = []
    for day, hour in itertools.islice(starts, count):
        body = {"method": "DIODE-IV", "samples": [{"label": "S-1"}], "start": _slot_start(day, hour).isoformat()}
        requests.append(http_request("POST", "/api/bookings", host, body=json.dumps(body).encode(), headers=headers))
    return requests


def _load(base: str, clients: int, requests: list[bytes]) -> LoadResult:
    host, _, port = base.removeprefix("http://").partition(":")
    return run_load(host, int(port), clients, requests)


def _availability_ms(engine: Engine, base: str, token: str, rounds: int = 30) -> tuple[float, float]:
    """Median time of one week's availability for DIODE-IV: in the service, and over HTTP."""
    week = datetime.now(UTC) + timedelta(days=7)
    params = {"method": "DIODE-IV", "start": week.isoformat(), "end": (week + timedelta(days=7)).isoformat()}
    policy = _POLICY
    service_ms, http_ms = [], []
    with session_factory(engine)() as session, httpx.Client(base_url=base) as client:
        method = get_method(session=session, code="DIODE-IV")
        for _ in range(rounds):
            began = time.perf_counter()
            slots = find_slots(session=session, method=method, policy=policy, now=datetime.now(UTC),
                               start=week, end=week + timedelta(days=7), company_id=None)  # fmt: skip
            service_ms.append((time.perf_counter() - began) * 1000)
            session.rollback()
            began = time.perf_counter()
            response = client.get("/api/availability", params=params, headers={"Authorization": f"Bearer {token}"})
            http_ms.append((time.perf_counter() - began) * 1000)
    assert response.status_code == 200, response.text  # noqa: S101 - a bench that measured errors would mislead
    print(f"  one week: {len(slots)} free slots over {KINDS['smu']} SMUs")
    return statistics.median(service_ms), statistics.median(http_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--reservations", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="an empty database (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'lab.sqlite3'}"
        engine = create_lab_engine(url)
        upgrade(engine)
        email = _seed_lab(engine)
        began = time.perf_counter()
        _seed_reservations(engine, args.reservations)
        print(f"seeded {args.reservations} reservations in {time.perf_counter() - began:.1f} s ({engine.dialect.name})")
        server, base = _serve(url, Path(folder) / "data")
        try:
            _run(engine, base, email, args)
        finally:
            server.terminate()
            server.wait(timeout=10)
            engine.dispose()


def _run(engine: Engine, base: str, email: str, args: argparse.Namespace) -> None:
    token = httpx.post(f"{base}/api/auth/token", json={"email": email, "password": PASSWORD}).json()["access_token"]
    health_request = http_request("GET", "/api/health", base.removeprefix("http://"))
    _load(base, args.clients, [health_request] * 1000)  # warm-up
    health = _load(base, args.clients, [health_request] * (10 * args.bookings)).throughput
    first_day = datetime.now(UTC).date() + timedelta(days=400)
    _load(base, args.clients, _booking_requests(base, token, first_day + timedelta(days=200), 500))  # warm-up
    booked = _load(base, args.clients, _booking_requests(base, token, first_day, args.bookings))
    p50, p99 = booked.percentile(0.50), booked.percentile(0.99)
    alone = _load(base, 1, _booking_requests(base, token, first_day + timedelta(days=120), 200))
    print(f"GET /api/health:    {health:8.0f} requests/s with {args.clients} clients")
    print(f"POST /api/bookings: {booked.throughput:8.0f} bookings/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms "
          f"({booked.failures} not 201)")  # fmt: skip
    print(f"  one client alone: p50 {alone.percentile(0.5):.1f} ms, p99 {alone.percentile(0.99):.1f} ms")
    # Little's law: with N clients always waiting, mean latency = N / throughput; say what the p99 target implies.
    floor_ms = 1000 * args.clients / booked.throughput
    print(f"  (with {args.clients} clients always in flight, mean latency >= {floor_ms:.0f} ms)")
    failed = booked.failures + alone.failures
    ratio = booked.throughput / health
    print(f"ratio bookings/health: {ratio:.2f} (target >= {RATIO_TARGET}), p99 target < {P99_TARGET_MS:.0f} ms")
    service_ms, http_ms = _availability_ms(engine, base, token)
    print(f"availability, one week, {args.reservations} reservations: {service_ms:.1f} ms in the service, "
          f"{http_ms:.1f} ms over HTTP (target < {AVAILABILITY_TARGET_MS:.0f} ms)")  # fmt: skip
    met = ratio >= RATIO_TARGET and p99 < P99_TARGET_MS and http_ms < AVAILABILITY_TARGET_MS and failed == 0
    print("targets met" if met else "TARGETS MISSED")


if __name__ == "__main__":
    main()
