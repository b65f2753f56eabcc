"""Starting the demo lab: the simulated bench on its ports, demo signing keys, and the seed on an empty database.

The only runtime module that imports :mod:`instruments.sim`: a lab with real instruments never loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

from sqlmodel import Session, select

from instruments.sim import (
    DEFAULT_CONTROL_PORT,
    BenchControl,
    BenchUnreachable,
    ControlError,
    SimulatedBench,
    parse_fault,
    run_bench_forever,
)
from labsys.certificates.keys import ensure_demo_keys
from labsys.db import Database
from labsys.demo.equipment import simulated_equipment
from labsys.demo.seed import DEMO_PASSWORD, DemoLogin, is_empty, seed_demo
from labsys.equipment.models import Instrument
from labsys.errors import ConfigurationError, InvalidInput, Unavailable
from labsys.settings import Mode, Settings
from labsys.timeutil import lab_today

__all__ = [
    "DEFAULT_CONTROL_PORT",
    "clear_bench_faults",
    "inject_bench_fault",
    "serve_simulated_bench",
    "start_demo_lab",
]


def start_demo_lab(settings: Settings, db: Database, stack: ExitStack, echo: Callable[[str], None]) -> None:
    """Start the simulated bench (stopped when ``stack`` closes), make demo keys, and seed an empty lab.

    Raises:
        ConfigurationError: in production mode, which takes no demo.
    """
    if settings.mode is Mode.PRODUCTION:
        raise ConfigurationError("--demo runs a simulated bench and demo logins: not in production mode")
    bench = stack.enter_context(
        SimulatedBench.from_yaml(base_port=settings.demo_bench_port, time_scale=settings.sim_time_scale)
    )
    ports = [bench.port(t) for t in bench.asset_tags]
    echo(f"simulated bench: {len(bench.asset_tags)} instruments on {bench.host}, ports {min(ports)}-{max(ports)}")
    ensure_demo_keys(settings)
    with db.writing() as session:
        if not is_empty(session):
            echo("demo lab already seeded: sign in as before")
            moved = _moved_instruments(session, bench)
            if moved:
                echo(f"warning: the lab knows {', '.join(moved)} at an earlier bench's addresses: their runs will fail")
            return
        entries = simulated_equipment(bench, station=settings.station_name, today=lab_today(settings.zone))
        logins = seed_demo(session, entries)
    _print_logins(logins, echo)


def _moved_instruments(session: Session, bench: SimulatedBench) -> list[str]:
    """The bench's instruments the lab's equipment records know at another address (the bench's ports changed)."""
    recorded = dict(session.exec(select(Instrument.asset_tag, Instrument.resource)).all())
    return [tag for tag in bench.asset_tags if tag in recorded and recorded[tag] != bench.resource(tag)]


def _print_logins(logins: list[DemoLogin], echo: Callable[[str], None]) -> None:
    echo("demo lab seeded. Sign in on the pages (programs: POST /api/auth/token); password: " + DEMO_PASSWORD)
    for login in logins:
        echo(f"  {login.role:<9} {login.email:<36} {login.name} ({login.company})")


def serve_simulated_bench(
    *,
    host: str,
    base_port: int | None,
    control_port: int | None = DEFAULT_CONTROL_PORT,
    time_scale: float | None = None,
    echo: Callable[[str], None] = print,
) -> None:
    """Run the simulated bench on its own until interrupted (``labsys sim``), taking faults on ``control_port``;
    ``time_scale`` wall seconds per second of the instruments' time (None: the bench file's)."""
    run_bench_forever(None, host, base_port, control_port=control_port, time_scale=time_scale, announce=echo)


def inject_bench_fault(asset_tag: str, kind: str, *, delay_s: float | None, control_port: int) -> None:
    """Make an instrument of a running ``labsys sim`` misbehave (``labsys sim fault``).

    Raises:
        InvalidInput: No such fault, or no such instrument on that bench.
        Unavailable: No bench answers on ``control_port``.
    """
    try:
        fault = parse_fault(kind)
    except ControlError as exc:
        raise InvalidInput("kind", str(exc)) from exc
    _ask_bench(lambda control: control.inject(asset_tag, fault, delay_s=delay_s), control_port)


def clear_bench_faults(asset_tag: str, *, control_port: int) -> None:
    """Make an instrument of a running ``labsys sim`` behave again (``labsys sim clear``).

    Raises:
        InvalidInput: No such instrument on that bench.
        Unavailable: No bench answers on ``control_port``.
    """
    _ask_bench(lambda control: control.clear(asset_tag), control_port)


def _ask_bench(request: Callable[[BenchControl], None], control_port: int) -> None:
    try:
        request(BenchControl(port=control_port))
    except BenchUnreachable as exc:
        raise Unavailable(str(exc)) from exc
    except ControlError as exc:
        raise InvalidInput("asset_tag", str(exc)) from exc
