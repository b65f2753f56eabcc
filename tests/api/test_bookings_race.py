"""Reschedules racing through a running server never both take overlapping time, on SQLite and PostgreSQL.

Fifty new bookings racing for one slot: tests/e2e/test_serving.py, against ``labsys serve`` itself.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from labsys.scheduling.models import Reservation
from tests.factories import PASSWORD, Lab, lab_start, make_company

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _tokens(base_url: str, race_engine: Engine, lab: Lab, companies: int = 5) -> list[str]:
    users = [lab.customer, lab.other_customer]
    with Session(race_engine, expire_on_commit=False) as session:
        users += [make_company(session)[1] for _ in range(companies - len(users))]
    tokens = []
    for user in users:
        response = httpx.post(f"{base_url}/api/auth/token", json={"email": user.email, "password": PASSWORD})
        tokens.append(response.json()["access_token"])
    return tokens


def _race(base_url: str, requests: list[tuple[str, str, dict[str, object]]]) -> list[httpx.Response]:
    """Send every ``(token, path, body)`` at once, one thread each, released together by a barrier."""
    barrier = threading.Barrier(len(requests))

    def send(token: str, path: str, body: dict[str, object]) -> httpx.Response:
        with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            barrier.wait()
            return client.post(path, json=body)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(lambda r: send(*r), requests))


def _no_overlap(engine: Engine) -> None:
    with Session(engine) as session:
        active = session.exec(select(Reservation).where(col(Reservation.active))).all()
    by_instrument: dict[int, list[Reservation]] = {}
    for reservation in active:
        by_instrument.setdefault(reservation.instrument_id, []).append(reservation)
    for reservations in by_instrument.values():
        reservations.sort(key=lambda r: r.starts_at)
        for earlier, later in itertools.pairwise(reservations):
            assert earlier.blocked_until <= later.starts_at


def _body(start: datetime) -> dict[str, object]:
    return {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": start.isoformat()}


def test_overlapping_reschedules_racing_never_both_win(base_url: str, race_engine: Engine, race_lab: Lab) -> None:
    tokens = _tokens(base_url, race_engine, race_lab, companies=2)
    day = lab_start(datetime.now(UTC) + timedelta(days=3), at=time(9))
    bookings = []
    for n in range(8):  # two later days, four bookings each, two hours apart
        start = lab_start(day + timedelta(days=7 + 3 * (n // 4)), at=time(9 + 2 * (n % 4)))
        response = httpx.post(
            f"{base_url}/api/bookings", json=_body(start), headers={"Authorization": f"Bearer {tokens[n % 2]}"}
        )
        assert response.status_code == 201, response.text
        bookings.append(response.json())
    # Pair k races to the morning of ``day``: one to 09:00+2k h, the other half an hour later (overlapping).
    requests = [
        (
            tokens[n % 2],
            f"/api/bookings/{b['id']}/reschedule",
            {"start": (day + timedelta(hours=2 * (n // 2), minutes=30 * (n % 2))).isoformat()},
        )
        for n, b in enumerate(bookings)
    ]
    responses = _race(base_url, requests)
    for pair in range(4):
        won = [r.status_code for r in responses[2 * pair : 2 * pair + 2]]
        assert sorted(won) == [200, 409], [r.text for r in responses]
    _no_overlap(race_engine)
