"""Benchmark what a lab user feels: the latency of each kind of request to a demo lab grown to thousands of bookings.

Run: ``uv run python benchmarks/booking_api.py [--clients 10] [--think-s 1.0] [--bookings 5000] [--requests 2400]
[--flat-out-requests 3000] [--database-url postgresql+psycopg://postgres@127.0.0.1:55432/bench]``.

The lab is ``python -m labsys serve --demo`` in a subprocess (its API, one station and the simulated bench), on a
fresh data folder and SQLite file (or the empty PostgreSQL database given), reached over HTTP only: the
benchmark imports none of the service's packages. It measures, in this order:

1. how long ``serve --demo`` takes to answer ``GET /api/health``;
2. growing the lab to ``--bookings`` bookings through ``POST /api/bookings`` at free starts read from
   ``GET /api/availability``, by both demo customers, over every method and the 730-day horizon, with DIODE-IV
   booked solid for the first month (a booking refused there must look ahead for the next free slot);
3. one STEP-RISE run taken through the booking's lifecycle and completed by the station, for its preview;
4. each kind of request (``lab_requests.KINDS``) with one client alone, then the kinds mixed (mostly reads,
   some bookings) with ``--clients`` keep-alive clients in a load process of its own (``loadgen.py``): first as
   people use the lab, each pausing ``--think-s`` on average between requests (ten people clicking once a
   second, already far more than the lab's few users); then, while they go on, one more client signing in again
   and again (a token lasts a working day, so the people's mix holds no sign-in: a sign-in is measured here);
   then all kinds as fast as they can (what the server can take, for reference). ``GET /api/health`` runs in
   the same mixes: the baseline of what the machine gives under that load. Every status is checked; anything
   unexpected is counted and printed, and misses the targets.

Targets, for the people's load: p99 under 100 ms for every kind, a sign-in (argon2 on purpose) under 300 ms.

PostgreSQL may be reached through its Unix socket (``postgresql+psycopg://postgres@/bench?host=/tmp/pg&port=55432``).
The lab's migration creates the ``btree_gist`` extension it needs, so the database only has to exist and be empty.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import tempfile
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grown_lab import CUSTOMERS, HORIZON_DAYS, SETTINGS, WAVEFORM_METHOD, completed_run, detail, grow_lab
from lab_calendar import CalendarPlan, FreeStart, horizon_windows, shuffled
from lab_requests import (
    BOOK_FREE,
    BOOK_TAKEN,
    KINDS,
    SIGN_IN,
    Customer,
    Kind,
    LabRequests,
    is_expected,
)
from loadgen import LabeledRequest, LoadResult, percentile, run_load
from served_lab import DEMO_PASSWORD, ServedLab, served_demo_lab

ALONE_REQUESTS, WARM_UP_REQUESTS, MIN_SAMPLES = 200, 20, 200
SAFE_NOTICE = timedelta(days=3)  # starts this far ahead keep their minimum notice for the whole benchmark


def _lab_requests(
    lab: ServedLab, customers: Sequence[Customer], plan: CalendarPlan, run_id: int, free: list[FreeStart]
) -> LabRequests:
    """The request maker: free starts spread over the horizon, taken ones in the full month, every method's months."""
    now = datetime.now(UTC)
    methods = sorted({s.method for s in plan.grown})
    months = [(method, window) for window in horizon_windows(now, HORIZON_DAYS) for method in methods]
    taken = [s for s in plan.full_month if s.start > now + SAFE_NOTICE]
    return LabRequests(
        lab.host, customers, customers[0], run_id, iter(free), taken, random.Random(4).sample(months, len(months))
    )


def _counts(total: int, kinds: Sequence[Kind] = KINDS) -> dict[Kind, int]:
    """How many requests of each of ``kinds`` a mixed load of ``total`` holds."""
    shares = sum(kind.share for kind in kinds)
    return {kind: round(total * kind.share / shares) for kind in kinds}


#: What people do while they use the lab: sign-ins are rare (a token lasts a working day), so they have a phase
#: of their own, beside the people's load.
PEOPLE = tuple(kind for kind in KINDS if kind is not SIGN_IN)


def _mix(requests: LabRequests, counts: dict[Kind, int], seed: int) -> list[LabeledRequest]:
    mixed = [request for kind, count in counts.items() for request in requests.make(kind, count)]
    return random.Random(seed).sample(mixed, len(mixed))


def _measure(lab: ServedLab, requests: LabRequests, args: argparse.Namespace) -> dict[str, LoadResult]:
    """Warm up, then each kind with one client alone, then the mixed load: each phase's result."""
    results = {
        "warm-up": run_load(lab.host, lab.port, args.clients, _mix(requests, dict.fromkeys(KINDS, WARM_UP_REQUESTS), 5))
    }
    for kind in KINDS:
        results[f"alone: {kind.label}"] = run_load(lab.host, lab.port, 1, requests.make(kind, ALONE_REQUESTS))
    print(f"machine load average before the mixed loads: {_load_average()}")
    people = _mix(requests, _counts(args.requests, PEOPLE), 6)
    results["mixed"] = run_load(lab.host, lab.port, args.clients, people, think_s=args.think_s)
    results["sign-ins"], results["beside the sign-ins"] = _sign_ins_beside_people(lab, requests, args)
    results["flat out"] = run_load(lab.host, lab.port, args.clients, _mix(requests, _counts(args.flat_out_requests), 7))
    return results


def _sign_ins_beside_people(
    lab: ServedLab, requests: LabRequests, args: argparse.Namespace
) -> tuple[LoadResult, LoadResult]:
    """One more client signing in again and again (pausing as the people do) while the people use the lab: what the
    sign-ins measured, and what the people did meanwhile."""
    people = _mix(requests, _counts(args.requests // 2, PEOPLE), 8)
    sign_ins = requests.make(SIGN_IN, MIN_SAMPLES)
    with ThreadPoolExecutor(max_workers=2) as both:
        beside = both.submit(run_load, lab.host, lab.port, args.clients, people, think_s=args.think_s)
        signed_in = run_load(lab.host, lab.port, 1, sign_ins, think_s=args.think_s)
        return signed_in, beside.result()


def _load_average() -> str:
    """The machine's 1-minute load average against its cores: a shared machine's other work shows here."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def _unexpected(results: dict[str, LoadResult]) -> Counter[str]:
    """Every response that is not what its kind asks for, counted by phase, kind, status and detail."""
    unexpected: Counter[str] = Counter()
    for phase, result in results.items():
        for kind in KINDS:
            for status, body in result.responses_of(kind.label):
                if not is_expected(kind, status, body):
                    unexpected[f"{phase}: {kind.label} answered {status} {detail(body)}"] += 1
    return unexpected


def _print_table(results: dict[str, LoadResult], args: argparse.Namespace) -> bool:
    """Each kind's p50 and p99 as people use the lab, flat out and alone; whether the people's p99s meet the
    targets."""
    flat_out, met = results["flat out"], True
    people = f"{args.clients} people, {args.think_s:g} s"
    print(f"{'':42} {people:>25}   {'flat out':>17}   {'one client alone':>17}   {'p99 target':>10}")
    print(f"{'request':42} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}   " + f"{'p50 ms':>8} {'p99 ms':>8}   " * 2)
    for kind in KINDS:
        latencies = results["sign-ins" if kind is SIGN_IN else "mixed"].latencies_of(kind.label)
        p99 = percentile(latencies, 0.99)
        met &= p99 < kind.p99_target_ms
        others = [flat_out.latencies_of(kind.label), results[f"alone: {kind.label}"].latencies_of(kind.label)]
        print(
            f"{kind.label:42} {len(latencies):7} {percentile(latencies, 0.5):8.1f} {p99:8.1f}   "
            + "".join(f"{percentile(ms, 0.5):8.1f} {percentile(ms, 0.99):8.1f}   " for ms in others)
            + f"{f'< {kind.p99_target_ms:.0f} ms':>10} {'met' if p99 < kind.p99_target_ms else 'MISSED'}"
        )
    undersampled = [
        kind.label
        for kind in KINDS
        if len(results["sign-ins" if kind is SIGN_IN else "mixed"].latencies_of(kind.label)) < MIN_SAMPLES
    ]
    if undersampled:
        print(f"  fewer than {MIN_SAMPLES} samples, a p99 that says little: {', '.join(undersampled)}")
    return met


def _print_refusals(mixed: LoadResult) -> None:
    """Which rule the refusals on the full calendar named, and the next free slots they offered."""
    refusals = mixed.responses_of(BOOK_TAKEN.label)
    answers = [json.loads(body) for status, body in refusals if is_expected(BOOK_TAKEN, status, body)]
    rules = Counter(answer["extra"].get("rule") for answer in answers)
    offered = sorted({answer["extra"].get("next_slot") or "none" for answer in answers})
    print(f"  full-calendar refusals named {dict(rules)}; next free slots offered: {', '.join(offered[:3])}")


def _report(results: dict[str, LoadResult], args: argparse.Namespace) -> bool:
    """Print the measurements and every unexpected answer; whether the targets are met."""
    mixed, flat_out = results["mixed"], results["flat out"]
    print(
        f"as people use the lab: {len(mixed.kinds)} requests over {args.clients} clients pausing {args.think_s:g} s "
        f"on average, in {mixed.elapsed_s:.1f} s ({mixed.throughput:.0f} requests/s); then {MIN_SAMPLES} sign-ins "
        "by one more client while they go on"
    )
    print(
        f"flat out: {len(flat_out.kinds)} requests over {args.clients} clients in {flat_out.elapsed_s:.1f} s "
        f"({flat_out.throughput:.0f} requests/s), load average after it: {_load_average()}"
    )
    met = _print_table(results, args)
    _print_refusals(mixed)
    unexpected = _unexpected(results)
    print(f"unexpected responses: {unexpected.total() or 'none'}")
    for answer, count in unexpected.most_common(20):
        print(f"  {count:6} × {answer}")
    return met and not unexpected


def _free_for_load(plan: CalendarPlan, args: argparse.Namespace) -> tuple[FreeStart, list[FreeStart]]:
    """A free start for the run's booking, and the free starts the load will book, in a random order."""
    now = datetime.now(UTC)
    free = [s for s in plan.free if s.start > now + SAFE_NOTICE]
    run_start = next(s for s in free if s.method == WAVEFORM_METHOD)
    needed = WARM_UP_REQUESTS + ALONE_REQUESTS + _counts(args.requests * 3 // 2, PEOPLE)[BOOK_FREE]
    needed += _counts(args.flat_out_requests)[BOOK_FREE]
    if len(free) <= needed:
        raise SystemExit(f"the grown lab has {len(free)} free starts left, the load books {needed}: fewer --bookings")
    return run_start, shuffled([s for s in free if s is not run_start], seed=3)


def _run(lab: ServedLab, args: argparse.Namespace) -> bool:
    """Grow the lab, prepare a completed run, measure; whether the targets are met."""
    customers = [Customer(email, DEMO_PASSWORD, lab.sign_in(email)) for email in CUSTOMERS]
    plan = grow_lab(lab, customers, bookings=args.bookings, clients=args.clients)
    run_start, free = _free_for_load(plan, args)
    run_id = completed_run(lab, customers[0], run_start).run_id
    results = _measure(lab, _lab_requests(lab, customers, plan, run_id, free), args)
    return _report(results, args)


def _server_errors(log: Path) -> None:
    """Print what the server logged as an error or a traceback, which no status shows."""
    lines = log.read_text(errors="replace").splitlines()
    errors = [n for n, line in enumerate(lines) if "Traceback" in line or line.startswith(("ERROR", "CRITICAL"))]
    print(f"server log: {len(lines)} lines, {len(errors) or 'no'} errors or tracebacks")
    for n in errors[:3]:
        print("  " + "\n  ".join(lines[n : n + 12]))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients of the mixed load")
    parser.add_argument("--bookings", type=int, default=5000, help="bookings to grow the demo lab to")
    parser.add_argument("--think-s", type=float, default=1.0, help="a client's mean pause between its requests")
    parser.add_argument("--requests", type=int, default=2400, help="requests in the people's mixed load")
    parser.add_argument("--flat-out-requests", type=int, default=3000, help="requests in the flat-out mixed load")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: SQLite)")
    return parser.parse_args()


def _stop_cleanly_on(*signals: signal.Signals) -> None:
    """Turn these signals into SystemExit, so that the server is stopped on the way out, as on Ctrl-C."""

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(f"stopped by {signal.Signals(signum).name}")

    for signum in signals:
        signal.signal(signum, leave)


def main() -> None:
    _stop_cleanly_on(signal.SIGTERM, signal.SIGHUP)
    args = _arguments()
    database = args.database_url.partition(":")[0].partition("+")[0] or "sqlite"
    print(
        f"booking benchmark on {database}: {args.bookings} bookings, {args.requests} mixed requests over "
        f"{args.clients} clients pausing {args.think_s:g} s, {args.flat_out_requests} flat out, {ALONE_REQUESTS} "
        f"of each kind alone; load average {_load_average()}"
    )
    settings = {**SETTINGS, **({"LABSYS_DATABASE_URL": args.database_url} if args.database_url else {})}
    with tempfile.TemporaryDirectory(prefix="labsys-bench-") as folder:
        with served_demo_lab(Path(folder), settings) as lab:
            print(f"serve --demo answered /api/health after {lab.startup_s:.1f} s")
            met = _run(lab, args)
        _server_errors(lab.log)
    print("targets met" if met else "TARGETS MISSED")


if __name__ == "__main__":
    main()
