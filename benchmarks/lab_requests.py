"""What a lab's users ask of it, kind by kind, as HTTP requests made beforehand for the load generator.

Each kind names one thing a person does, the status it must answer with, its share of a mixed load that
resembles the lab's use (mostly reads, some bookings, a sign-in now and then) and its p99 target.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from lab_calendar import FreeStart
from loadgen import LabeledRequest, http_request

__all__ = [
    "AVAILABILITY",
    "BOOK_FREE",
    "BOOK_TAKEN",
    "HEALTH",
    "KINDS",
    "LIST_BOOKINGS",
    "PREVIEW",
    "SEOUL",
    "SIGN_IN",
    "Customer",
    "Kind",
    "LabRequests",
    "booking_body",
    "booking_request",
    "is_expected",
]

SEOUL = timezone(timedelta(hours=9), "KST")  # the lab's zone: Korea keeps no daylight saving time
PREVIEW_POINTS = 2000


@dataclass(frozen=True)
class Kind:
    """One kind of request: its label in the report, the status it answers, its share of the mix, its target."""

    label: str
    status: int
    share: int
    p99_target_ms: float


BOOK_FREE = Kind("POST /api/bookings, a free start", 201, 9, 100.0)
BOOK_TAKEN = Kind("POST /api/bookings, full calendar", 409, 9, 100.0)
LIST_BOOKINGS = Kind("GET /api/bookings, first page", 200, 22, 100.0)
AVAILABILITY = Kind("GET /api/availability, 31 days", 200, 22, 100.0)
PREVIEW = Kind(f"GET /api/runs/{{id}}/preview?points={PREVIEW_POINTS}", 200, 13, 100.0)
SIGN_IN = Kind("POST /api/auth/token, a sign-in", 200, 9, 300.0)
HEALTH = Kind("GET /api/health, the baseline", 200, 16, 100.0)
KINDS = (BOOK_FREE, BOOK_TAKEN, LIST_BOOKINGS, AVAILABILITY, PREVIEW, SIGN_IN, HEALTH)


@dataclass(frozen=True)
class Customer:
    """A signed-in customer: the email to sign in again with, and a bearer token."""

    email: str
    password: str
    token: str


def booking_body(free: FreeStart) -> dict[str, object]:
    """A booking of one sample at ``free``, its start written in the lab's zone as a customer would."""
    return {
        "method": free.method,
        "samples": [{"label": "S-1", "description": "benchmark sample"}],
        "start": free.start.astimezone(SEOUL).isoformat(),
    }


def booking_request(host: str, customer: Customer, free: FreeStart) -> bytes:
    """``POST /api/bookings`` of ``free`` by ``customer``."""
    body = json.dumps(booking_body(free)).encode()
    return http_request("POST", "/api/bookings", host, body=body, headers={"Authorization": f"Bearer {customer.token}"})


def is_expected(kind: Kind, status: int, body: bytes) -> bool:
    """Whether a response is what the kind asks for; a refusal on the full calendar must name the next free slot."""
    if status != kind.status:
        return False
    if kind is not BOOK_TAKEN:
        return True
    try:
        return bool(json.loads(body)["extra"]["next_slot"])
    except (ValueError, KeyError, TypeError):
        return False


@dataclass
class LabRequests:
    """Makes the requests of each kind, customers taking turns.

    ``free`` is consumed: each booking of a free start takes the next one, so no two requests ever ask for the same
    instrument time. ``taken`` are starts booked on the full calendar; ``months`` are (method, window) pairs.
    """

    host: str
    customers: Sequence[Customer]
    run_owner: Customer
    run_id: int
    free: Iterator[FreeStart]
    taken: Sequence[FreeStart]
    months: Sequence[tuple[str, tuple[datetime, datetime]]]

    def make(self, kind: Kind, count: int) -> list[LabeledRequest]:
        """``count`` requests of ``kind``."""
        makers: dict[str, Callable[[int], bytes]] = {
            BOOK_FREE.label: lambda n: self._booking(n, next(self.free)),
            BOOK_TAKEN.label: lambda n: self._booking(n, self.taken[n % len(self.taken)]),
            LIST_BOOKINGS.label: lambda n: self._get("/api/bookings", self.customers[n % len(self.customers)]),
            AVAILABILITY.label: self._availability,
            PREVIEW.label: lambda _: self._get(f"/api/runs/{self.run_id}/preview?points={PREVIEW_POINTS}"),
            SIGN_IN.label: self._sign_in,
            HEALTH.label: lambda _: http_request("GET", "/api/health", self.host),
        }
        return [(kind.label, makers[kind.label](n)) for n in range(count)]

    def _get(self, path: str, customer: Customer | None = None) -> bytes:
        token = (customer or self.run_owner).token
        return http_request("GET", path, self.host, headers={"Authorization": f"Bearer {token}"})

    def _booking(self, n: int, free: FreeStart) -> bytes:
        return booking_request(self.host, self.customers[n % len(self.customers)], free)

    def _availability(self, n: int) -> bytes:
        method, (start, end) = self.months[n % len(self.months)]
        query = urlencode({"method": method, "start": start.isoformat(), "end": end.isoformat()})
        return self._get(f"/api/availability?{query}", self.customers[n % len(self.customers)])

    def _sign_in(self, n: int) -> bytes:
        customer = self.customers[n % len(self.customers)]
        body = json.dumps({"email": customer.email, "password": customer.password}).encode()
        return http_request("POST", "/api/auth/token", self.host, body=body)
