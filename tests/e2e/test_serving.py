"""``labsys serve`` under what a lab meets: a burst of large bookings, and server processes racing for one slot."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, func, select

from labsys.audit import verify_chain
from labsys.bookings.models import Sample
from labsys.db import Database
from labsys.demo import DEMO_PASSWORD
from labsys.migrations import upgrade
from labsys.scheduling.models import Reservation
from tests.conftest import TestDatabase
from tests.e2e.serving import serving
from tests.factories import PASSWORD, lab_start, make_company, make_lab

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BURST = 200
SAMPLES = 100
#: 소재·부품 시료의 설명: the longest text the booking form allows, in Korean (three bytes a character).
KOREAN = "실증화 지원센터 의뢰 시료: 정전기 방지 포장에 밀봉된 스위칭 다이오드, 외관 양호, 라벨 부착 완료. "


def _korean(length: int) -> str:
    return (KOREAN * (length // len(KOREAN) + 1))[:length]


def _token(base_url: str, email: str, password: str) -> str:
    response = httpx.post(f"{base_url}/api/auth/token", json={"email": email, "password": password}, timeout=30)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _large_booking(n: int) -> dict[str, object]:
    start = "earliest" if n % 2 else lab_start(datetime.now(UTC) + timedelta(days=2 + n // 20)).isoformat()
    samples = [{"label": f"시료-{n}-{k}", "description": _korean(1000)} for k in range(SAMPLES)]
    return {"method": "DIODE-IV", "start": start, "note": _korean(2000), "samples": samples}


class _HealthWatch:
    """Asks ``/api/health`` every tenth of a second while a burst runs; remembers every answer's time or failure."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.answered_s: list[float] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _watch(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=5) as client:
            while not self._stop.wait(0.1):
                began = time.monotonic()
                try:
                    status = client.get("/api/health").status_code
                except httpx.HTTPError as exc:
                    self.failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                if status != 200:
                    self.failures.append(f"status {status}")
                self.answered_s.append(time.monotonic() - began)


def test_a_burst_of_large_korean_bookings_is_answered_in_full_while_health_answers_throughout(
    test_database: TestDatabase, tmp_path: Path
) -> None:
    quota = {"LABSYS_BOOKING_WEEKLY_QUOTA": "100000"}
    with serving(test_database.standalone_url, tmp_path / "data", "--demo", environment=quota) as served:
        tokens = [
            _token(served.base_url, email, DEMO_PASSWORD)
            for email in ("minjun.kim@hanbit.example.com", "seoyeon.lee@daehan.example.com")
        ]
        bodies = [_large_booking(n) for n in range(BURST)]
        barrier = threading.Barrier(BURST)

        def book(n: int) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[n % 2]}"}
            with httpx.Client(base_url=served.base_url, headers=headers, timeout=60) as client:
                barrier.wait()
                return client.post("/api/bookings", json=bodies[n])

        with _HealthWatch(served.base_url) as health, ThreadPoolExecutor(max_workers=BURST) as pool:
            began = time.monotonic()
            responses = list(pool.map(book, range(BURST)))
            elapsed = time.monotonic() - began
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409, 422}, [r.text[:300] for r in responses if r.status_code not in {201, 409, 422}]
    assert elapsed < 60, f"the burst took {elapsed:.1f} s"
    assert health.failures == []
    assert health.answered_s, "health was never asked"
    assert max(health.answered_s) < 5
    created = [r.json() for r in responses if r.status_code == 201]
    assert len(created) >= BURST // 4  # every "earliest" booking finds a slot in a lab with a whole year free
    assert all(len(b["samples"]) == SAMPLES and b["note"] == _korean(2000) for b in created)
    engine = test_database.engine()
    try:
        with Database(engine).reading() as session:
            stored = session.exec(
                select(func.count()).select_from(Sample).where(col(Sample.booking_id).in_([b["id"] for b in created]))
            ).one()
            assert stored == SAMPLES * len(created)  # no half-written booking
            assert verify_chain(session)[1] is None
    finally:
        engine.dispose()


def _seeded_lab(test_database: TestDatabase) -> list[str]:
    """A migrated lab (the demo catalog, one instrument per kind) with five customer companies; their emails."""
    engine = test_database.engine()
    upgrade(engine)
    try:
        with Session(engine, expire_on_commit=False) as session:
            lab = make_lab(session)
            extra = [make_company(session)[1] for _ in range(3)]
            return [u.email for u in (lab.customer, lab.other_customer, *extra)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("workers", [1, 2])
def test_fifty_clients_racing_for_one_slot_get_exactly_one_booking_from_one_or_two_server_processes(
    test_database: TestDatabase, tmp_path: Path, workers: int
) -> None:
    emails = _seeded_lab(test_database)
    quota = {"LABSYS_BOOKING_WEEKLY_QUOTA": "100"}
    with serving(test_database.standalone_url, tmp_path / "data", "--workers", str(workers), environment=quota) as s:
        tokens = [_token(s.base_url, email, PASSWORD) for email in emails]
        start = lab_start(datetime.now(UTC) + timedelta(days=3)).isoformat()
        body = {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": start}
        barrier = threading.Barrier(50)

        def book(n: int) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
            with httpx.Client(base_url=s.base_url, headers=headers, timeout=60) as client:
                barrier.wait()
                return client.post("/api/bookings", json=body)

        with ThreadPoolExecutor(max_workers=50) as pool:
            responses = list(pool.map(book, range(50)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 49, [r.text for r in responses if r.status_code not in (201, 409)]
    assert {r.json()["extra"]["rule"] for r in responses if r.status_code == 409} == {"slot_taken"}
    engine = test_database.engine()
    try:
        with Database(engine).reading() as session:
            active = session.exec(select(func.count()).select_from(Reservation).where(col(Reservation.active))).one()
        assert active == 1
    finally:
        engine.dispose()
