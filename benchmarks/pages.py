"""Benchmark the lab's pages as people meet them: the server time of every page on a demo lab of 5,000 bookings.

Run: ``uv run python benchmarks/pages.py [--bookings 5000] [--repeats 60]``.

The lab is ``python -m labsys serve --demo`` in a subprocess, grown through the API to ``--bookings`` bookings
(``grown_lab.py``), with one STEP-RISE run in review and one reported with its certificate. Each demo person signs
in through the sign-in form (a session cookie, as a browser), then every page they use is fetched ``--repeats``
times in turn by one keep-alive client, after a warm-up: the time from sending the request to its last byte, on
the loopback interface, is the server's time for the page (rendering included; no browser). ``GET /api/health``,
fetched between the pages in the same run, is the baseline of what the machine gives at that moment.

Target: p95 under 150 ms for every page.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from grown_lab import CUSTOMERS, ENGINEER, SETTINGS, WAVEFORM_METHOD, CompletedRun, completed_run, expect, grow_lab
from lab_calendar import free_starts, horizon_windows
from lab_requests import Customer
from loadgen import percentile
from served_lab import DEMO_PASSWORD, ServedLab, served_demo_lab

REVIEWER, ADMIN = "reviewer@lab.example.com", "admin@lab.example.com"
TARGET_P95_MS = 150.0
WARM_UP = 3
_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    """A page a person opens: who (None: a visitor), its path, and what it shows."""

    who: str | None
    path: str
    what: str


def _pages(customer: str, reported: CompletedRun, in_review: CompletedRun, certificate: str) -> list[Page]:
    booking, run = reported.booking_id, reported.run_id
    return [
        Page(None, "/", "start page"),
        Page(None, "/methods", "test catalog"),
        Page(None, f"/methods/{WAVEFORM_METHOD}", "a test method"),
        Page(None, "/sign-in", "sign-in form"),
        Page(None, "/register", "company registration"),
        Page(None, "/verify", "report verification"),
        Page(customer, "/bookings", "my bookings, newest"),
        Page(customer, "/bookings?page_number=100", "my bookings, page 100"),
        Page(customer, "/bookings/new?method=DIODE-IV", "booking form with free slots"),
        Page(customer, f"/bookings/{booking}", "a reported booking"),
        Page(customer, f"/runs/{run}", "a run with its plot"),
        Page(customer, f"/runs/{run}/preview", "the plot's data (min/max preview)"),
        Page(customer, "/certificates", "my reports"),
        Page(customer, f"/certificates/{certificate}", "a report"),
        Page(ENGINEER, "/schedule", "the week's schedule"),
        Page(ENGINEER, "/runs", "runs"),
        Page(ENGINEER, "/equipment", "equipment"),
        Page(ENGINEER, f"/bookings/{in_review.booking_id}", "a booking, as staff"),
        Page(REVIEWER, "/reviews", "review queue"),
        Page(REVIEWER, f"/reviews/{in_review.booking_id}", "a review with plots and metrics"),
        Page(REVIEWER, "/certificates", "every report"),
        Page(ADMIN, "/admin/users", "users"),
        Page(ADMIN, "/admin/equipment", "equipment, to edit"),
        Page(ADMIN, "/admin/methods", "test methods"),
    ]


def _browser(lab: ServedLab, email: str | None) -> httpx.Client:
    """A client with a browser's session: signed in through the form (with its CSRF token) unless ``email`` is None."""
    client = httpx.Client(base_url=lab.base_url, timeout=60.0, headers={"Accept": "text/html"})
    if email is not None:
        token = _CSRF.search(client.get("/sign-in").text)
        if token is None:
            raise SystemExit("the sign-in form has no CSRF token")
        form = {"email": email, "password": DEMO_PASSWORD, "_csrf_token": token.group(1)}
        response = client.post("/sign-in", data=form)
        if response.status_code not in {302, 303}:
            raise SystemExit(f"signing in {email} through the form answered {response.status_code}")
    return client


def _time(client: httpx.Client, path: str) -> tuple[int, float]:
    began = time.perf_counter()
    response = client.get(path)
    return response.status_code, (time.perf_counter() - began) * 1000


def _measure(lab: ServedLab, pages: Sequence[Page], repeats: int) -> dict[str, list[float]]:
    """Each page ``repeats`` times, round after round, the health check between pages; latencies by page."""
    clients = {who: _browser(lab, who) for who in {p.who for p in pages}}
    latencies: dict[str, list[float]] = {p.path + "|" + str(p.who): [] for p in pages}
    latencies["baseline"] = []
    try:
        for round_number in range(WARM_UP + repeats):
            for page in pages:
                status, ms = _time(clients[page.who], page.path)
                if status != 200:
                    raise SystemExit(f"{page.path} as {page.who or 'a visitor'} answered {status}")
                _, health_ms = _time(clients[None], "/api/health")
                if round_number >= WARM_UP:
                    latencies[page.path + "|" + str(page.who)].append(ms)
                    latencies["baseline"].append(health_ms)
    finally:
        for client in clients.values():
            client.close()
    return latencies


def _report(pages: Sequence[Page], latencies: dict[str, list[float]]) -> bool:
    print(f"{'page':<44} {'as':<10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   p95 target")
    met = True
    for page in pages:
        found = latencies[page.path + "|" + str(page.who)]
        p95 = percentile(found, 0.95)
        ok = p95 < TARGET_P95_MS
        met &= ok
        who = (page.who or "visitor").split("@")[0].split(".")[0]
        print(
            f"{page.what:<44} {who:<10} {percentile(found, 0.5):8.1f} {p95:8.1f} {max(found):8.1f}   "
            f"< {TARGET_P95_MS:.0f} ms {'met' if ok else 'MISSED'}"
        )
    base = latencies["baseline"]
    print(
        f"{'GET /api/health, the baseline':<44} {'visitor':<10} {percentile(base, 0.5):8.1f} "
        f"{percentile(base, 0.95):8.1f} {max(base):8.1f}"
    )
    return met


def _prepare(lab: ServedLab, bookings: int) -> list[Page]:
    """Grow the lab, take one run to review and another to its certificate; the pages to time."""
    customers = [Customer(email, DEMO_PASSWORD, lab.sign_in(email)) for email in CUSTOMERS]
    plan = grow_lab(lab, customers, bookings=bookings, clients=4)
    with lab.client(customers[0].token) as client:
        window = horizon_windows(plan.full_window[1], 60)[0]
        free = free_starts(client, WAVEFORM_METHOD, window)
    reported, in_review = (completed_run(lab, customers[0], start) for start in free[:2])
    with lab.client(lab.sign_in(ENGINEER)) as engineer, lab.client(lab.sign_in(REVIEWER)) as reviewer:
        for done in (reported, in_review):
            expect(engineer.post("/api/reviews", json={"booking": done.booking_id}), 201)
        body = {"booking": reported.booking_id, "runs": [reported.run_id]}
        certificate = expect(reviewer.post("/api/certificates", json=body), 201)["number"]
    return _pages(CUSTOMERS[0], reported, in_review, str(certificate))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bookings", type=int, default=5000, help="bookings to grow the demo lab to")
    parser.add_argument("--repeats", type=int, default=60, help="times each page is fetched")
    args = parser.parse_args()
    print(f"page benchmark: a demo lab of {args.bookings} bookings, each page {args.repeats} times")
    with tempfile.TemporaryDirectory(prefix="labsys-pages-") as folder, served_demo_lab(Path(folder), SETTINGS) as lab:
        pages = _prepare(lab, args.bookings)
        met = _report(pages, _measure(lab, pages, args.repeats))
    print("target met" if met else "TARGET MISSED")


if __name__ == "__main__":
    main()
