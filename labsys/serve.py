"""``labsys serve``, ``labsys station`` and ``labsys sim``: the lab's long-running processes."""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import ExitStack
from typing import TYPE_CHECKING

import uvicorn

from labsys.certificates.keys import ensure_demo_keys
from labsys.db import create_lab_engine, session_factory
from labsys.demo import DEMO_PASSWORD, DemoLogin, is_empty, seed_demo
from labsys.errors import ConfigurationError
from labsys.migrations import upgrade
from labsys.settings import Mode, Settings
from labsys.stations.factory import build_station
from labsys.timeutil import lab_today

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session

__all__ = ["serve_lab", "serve_simulated_bench", "serve_station"]

log = logging.getLogger(__name__)

#: What uvicorn imports: the API package builds its app from the same ``LABSYS_*`` settings.
APP_FACTORY = "api.app:create_app_from_environment"


def _migrated_sessions(settings: Settings) -> sessionmaker[Session]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_lab_engine(settings.resolved_database_url)
    upgrade(engine)
    return session_factory(engine)


def _start_demo(
    settings: Settings, sessions: sessionmaker[Session], stack: ExitStack, echo: Callable[[str], None]
) -> None:
    if settings.mode is Mode.PRODUCTION:
        raise ConfigurationError("--demo runs a simulated bench and demo logins: not in production mode")
    # The simulated bench is the demo's hardware; only the demo imports it.
    from instruments.sim import SimulatedBench  # noqa: PLC0415
    from labsys.demo.equipment import simulated_equipment  # noqa: PLC0415

    bench = stack.enter_context(SimulatedBench.from_yaml())
    echo(
        f"simulated bench: {len(bench.asset_tags)} instruments on {bench.host}, ports "
        f"{min(bench.port(t) for t in bench.asset_tags)}-{max(bench.port(t) for t in bench.asset_tags)}"
    )
    ensure_demo_keys(settings)
    with sessions.begin() as session:
        if not is_empty(session):
            echo("demo lab already seeded: sign in as before")
            return
        entries = simulated_equipment(bench, station=settings.station_name, today=lab_today(settings.zone))
        logins = seed_demo(session, entries)
    _print_logins(logins, echo)


def _print_logins(logins: list[DemoLogin], echo: Callable[[str], None]) -> None:
    echo("demo lab seeded. Sign in with POST /api/auth/token, password for every user: " + DEMO_PASSWORD)
    for login in logins:
        echo(f"  {login.role:<9} {login.email:<36} {login.name} ({login.company})")


def serve_lab(settings: Settings, *, demo: bool, host: str, port: int, echo: Callable[[str], None] = print) -> None:
    """Migrate, (demo) seed and start the bench, start one station in-process, then serve the API until stopped."""
    sessions = _migrated_sessions(settings)
    with ExitStack() as stack:
        if demo:
            _start_demo(settings, sessions, stack, echo)
        station = build_station(settings, sessions)
        station.start()
        stack.callback(station.stop)
        echo(f"station {settings.station_name} started; API and docs at http://{host}:{port}/schema/")
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, log_level="info")


def serve_station(settings: Settings) -> None:
    """Run one station in the foreground against the lab's database until SIGINT or SIGTERM."""
    sessions = _migrated_sessions(settings)
    station = build_station(settings, sessions)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    station.start()
    log.info("station %s serving", settings.station_name)
    stop.wait()
    station.stop()


def serve_simulated_bench(*, host: str, base_port: int | None, echo: Callable[[str], None] = print) -> None:
    """Run the simulated bench on its own until interrupted."""
    from instruments.sim import run_bench_forever  # noqa: PLC0415 - only this command runs the bench alone

    run_bench_forever(None, host, base_port, announce=echo)
