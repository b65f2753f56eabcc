"""A demo lab grown to thousands of bookings over HTTP, and a run taken to its end: what the benchmarks measure on.

The lab is booked as its customers book it: free starts read from ``GET /api/availability``, booked with
``POST /api/bookings`` by both demo customers over every method and a 730-day horizon, DIODE-IV booked solid for
the first month (a booking refused there must look ahead for the next free slot).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from lab_calendar import CalendarPlan, FreeStart, free_starts, horizon_windows, pack, plan_calendar, shuffled
from lab_requests import BOOK_FREE, SEOUL, Customer, booking_body, booking_request, is_expected
from loadgen import run_load
from served_lab import ServedLab

__all__ = [
    "CUSTOMERS",
    "ENGINEER",
    "FULL_METHOD",
    "HORIZON_DAYS",
    "SETTINGS",
    "WAVEFORM_METHOD",
    "CompletedRun",
    "book_all",
    "completed_run",
    "detail",
    "expect",
    "grow_lab",
]

HORIZON_DAYS = 730
SETTINGS = {"LABSYS_BOOKING_WEEKLY_QUOTA": "1000000", "LABSYS_BOOKING_MAX_ADVANCE_DAYS": str(HORIZON_DAYS)}
CUSTOMERS = ("minjun.kim@hanbit.example.com", "seoyeon.lee@daehan.example.com")
ENGINEER = "engineer@lab.example.com"
FULL_METHOD, WAVEFORM_METHOD = "DIODE-IV", "STEP-RISE"
RUN_TIMEOUT_S = 180.0


def expect(response: httpx.Response, status: int) -> Any:
    """The response's JSON, if it has ``status``; otherwise the benchmark stops, saying what the lab answered."""
    if response.status_code != status:
        raise SystemExit(
            f"{response.request.method} {response.request.url.path} answered {response.status_code}, "
            f"not {status}: {response.text[:500]}"
        )
    return response.json()


def renew_calibrations(lab: ServedLab, engineer: str, equipment: list[Any]) -> list[str]:
    """Record a calibration done today and valid through the horizon for every usable instrument due before it.

    A booking needs its instruments calibrated through its end; the demo's calibrations lapse within the year, which
    leaves about 4,000 bookable starts in the 730-day horizon.
    """
    today = datetime.now(SEOUL).date()
    due = today + timedelta(days=HORIZON_DAYS + 2)
    record = {"calibrated_on": today.isoformat(), "calibration_due": due.isoformat(), "certificate": "BENCH-CAL"}
    renewed = []
    with lab.client(engineer) as client:
        for instrument in equipment:
            if instrument["usable_today"] and instrument["calibration_due"] < due.isoformat():
                expect(client.post(f"/api/instruments/{instrument['asset_tag']}/calibrations", json=record), 201)
                renewed.append(instrument["asset_tag"])
    return renewed


def scan_calendar(lab: ServedLab, customer: Customer, now: datetime) -> list[FreeStart]:
    """Every free start of every method in the catalog over the horizon, as the lab answers it."""
    with lab.client(customer.token) as client:
        methods = [method["code"] for method in expect(client.get("/api/methods"), 200)]
        windows = horizon_windows(now, HORIZON_DAYS)
        return [s for method in methods for window in windows for s in free_starts(client, method, window)]


def book_all(lab: ServedLab, customers: Sequence[Customer], starts: list[FreeStart], clients: int) -> float:
    """Book every start over ``clients`` connections, customers taking turns; the seconds it took."""
    requests = [
        (BOOK_FREE.label, booking_request(lab.host, customers[n % len(customers)], free))
        for n, free in enumerate(starts)
    ]
    result = run_load(lab.host, lab.port, clients, requests)
    answers = result.responses_of(BOOK_FREE.label)
    refused = Counter(
        f"{status} {detail(body)}" for status, body in answers if not is_expected(BOOK_FREE, status, body)
    )
    if refused:
        raise SystemExit(
            f"growing the lab: {refused.total()} bookings not {BOOK_FREE.status}: {refused.most_common(3)}"
        )
    return result.elapsed_s


def grow_lab(lab: ServedLab, customers: Sequence[Customer], *, bookings: int, clients: int) -> CalendarPlan:
    """Grow the demo lab to ``bookings`` bookings over ``clients`` connections, with the full month; print what it
    took."""
    began = time.perf_counter()
    engineer = lab.sign_in(ENGINEER)
    with lab.client(engineer) as client:
        equipment = expect(client.get("/api/instruments"), 200)["data"]
    renewed = renew_calibrations(lab, engineer, equipment)
    print(f"recorded a calibration valid through the {HORIZON_DAYS}-day horizon for {', '.join(renewed)}")
    now = datetime.now(UTC)
    starts = scan_calendar(lab, customers[0], now)
    packed = pack(starts, {i["asset_tag"]: timedelta(minutes=i["setup_buffer_min"]) for i in equipment})
    window = horizon_windows(now, HORIZON_DAYS)[0]
    plan = plan_calendar(packed, bookings=bookings, full_method=FULL_METHOD, full_window=window)
    scanned_s = time.perf_counter() - began
    booking_s = book_all(lab, customers, shuffled(plan.grown, seed=1), clients)
    print(
        f"grew the lab to {len(plan.grown)} bookings in {scanned_s + booking_s:.1f} s: {scanned_s:.1f} s reading "
        f"availability over {HORIZON_DAYS} days ({len(packed)} starts bookable together), {booking_s:.1f} s booking "
        f"({len(plan.grown) / booking_s:.0f} bookings/s over {clients} clients)"
    )
    print_calendar(lab, customers[0], plan)
    return plan


def print_calendar(lab: ServedLab, customer: Customer, plan: CalendarPlan) -> None:
    """What the grown calendar holds; stops if the full month is not full."""
    by_method = Counter(s.method for s in plan.grown)
    first, last = (s.start.astimezone(SEOUL).date() for s in (min(plan.grown), max(plan.grown)))
    print(f"  bookings per method: {', '.join(f'{m} {n}' for m, n in sorted(by_method.items()))}; {first} to {last}")
    with lab.client(customer.token) as client:
        left = free_starts(client, FULL_METHOD, plan.full_window)
    start, end = (t.astimezone(SEOUL).date() for t in plan.full_window)
    print(
        f"  {FULL_METHOD} fully booked from {start} to {end}: {len(plan.full_month)} bookings, {len(left)} free starts"
    )
    if left:
        raise SystemExit(f"{FULL_METHOD} still has free starts in its full month, e.g. {left[0].start}")


@dataclass(frozen=True)
class CompletedRun:
    """A booking whose run the station completed."""

    booking_id: int
    run_id: int


def completed_run(lab: ServedLab, owner: Customer, free: FreeStart) -> CompletedRun:
    """Book ``free``, confirm it, receive its sample, queue a run, and wait for the station to complete it."""
    with lab.client(owner.token) as customer, lab.client(lab.sign_in(ENGINEER)) as engineer:
        booking = expect(customer.post("/api/bookings", json=booking_body(free)), 201)
        booking_id, sample_id = booking["id"], booking["samples"][0]["id"]
        expect(customer.post(f"/api/bookings/{booking_id}/confirm"), 200)
        receipt = {"samples": [{"sample_id": sample_id, "condition": "intact"}]}
        expect(engineer.post(f"/api/bookings/{booking_id}/receive", json=receipt), 200)
        run_id = expect(engineer.post("/api/runs", json={"booking": booking_id, "sample": sample_id}), 202)["id"]
        began = time.perf_counter()
        wait_until_completed(customer, run_id)
    waited_s = time.perf_counter() - began
    print(f"run {run_id} ({free.method}, booking {booking_id}) completed {waited_s:.1f} s after it was queued")
    return CompletedRun(int(booking_id), int(run_id))


def wait_until_completed(client: httpx.Client, run_id: int) -> None:
    deadline = time.perf_counter() + RUN_TIMEOUT_S
    while time.perf_counter() < deadline:
        run = expect(client.get(f"/api/runs/{run_id}"), 200)
        if run["status"] == "completed":
            return
        if run["status"] not in {"queued", "running"}:
            raise SystemExit(f"run {run_id} ended {run['status']}: {run}")
        time.sleep(0.25)
    raise SystemExit(f"run {run_id} did not complete within {RUN_TIMEOUT_S:.0f} s")


def detail(body: bytes) -> str:
    """What an unexpected response said: its ``detail`` if it is the lab's JSON error, else its first bytes."""
    try:
        return str(json.loads(body)["detail"])[:160]
    except (ValueError, KeyError, TypeError):
        return body[:160].decode(errors="replace")
