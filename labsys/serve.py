"""``labsys serve``, ``labsys station`` and ``labsys sim``: the lab's long-running processes."""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import TYPE_CHECKING

import uvicorn

from labsys.db import Database, create_lab_engine
from labsys.heap import freeze_startup_heap
from labsys.migrations import upgrade
from labsys.settings import Settings

if TYPE_CHECKING:
    from labsys.stations.station import Station

__all__ = ["APP_FACTORY", "migrated_database", "serve_lab", "serve_station"]

log = logging.getLogger(__name__)

#: What uvicorn imports: the API package builds its app from the same ``LABSYS_*`` settings.
APP_FACTORY = "api.app:create_app_from_environment"


def migrated_database(settings: Settings) -> Database:
    """The lab's database, migrated to the newest schema (its data folder made first)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_lab_engine(settings.resolved_database_url)
    upgrade(engine)
    return Database(engine)


def serve_lab(
    settings: Settings, *, demo: bool, host: str, port: int, workers: int = 1, echo: Callable[[str], None] = print
) -> None:
    """Migrate, (demo) seed and start the bench, start one station in-process, then serve the API until stopped.

    Args:
        workers: server processes; each serves every request on its own (the database keeps them consistent).
    """
    for warning in settings.warnings():
        echo(f"warning: {warning}")
    db = migrated_database(settings)
    with ExitStack() as stack:
        stack.callback(db.dispose)
        if demo:
            from labsys.demo.lab import start_demo_lab  # noqa: PLC0415 - only the demo loads the simulated bench

            start_demo_lab(settings, db, stack, echo)
        stack.callback(_start_station_beside(settings, db, (host, port), echo))
        echo(f"the lab's pages: open http://{host}:{port}/ in a browser; API docs at http://{host}:{port}/schema/")
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_level="info")


def _start_station_beside(
    settings: Settings, db: Database, address: tuple[str, int], echo: Callable[[str], None]
) -> Callable[[], None]:
    """Start the in-process station on a thread of its own once the API listens at ``address``: loading its drivers
    and procedures takes a second or two, and the person who started the lab has the API meanwhile. The function
    that stops it."""
    started: list[Station] = []

    def start() -> None:
        _wait_until_listening(address)
        from labsys.stations.factory import build_station  # noqa: PLC0415 - loads the drivers and procedures

        station = build_station(settings, db)
        freeze_startup_heap()  # the drivers and procedures join what the server froze when it started
        station.start()
        started.append(station)
        echo(f"station {settings.station_name} started")

    thread = threading.Thread(target=start, name="station-start", daemon=True)
    thread.start()

    def stop() -> None:
        thread.join()
        for station in started:
            station.stop()

    return stop


def serve_station(settings: Settings) -> None:
    """Run one station in the foreground against the lab's database until SIGINT or SIGTERM."""
    from labsys.stations.factory import build_station  # noqa: PLC0415 - loads the drivers and procedures

    db = migrated_database(settings)
    station = build_station(settings, db)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    station.start()
    log.info("station %s serving", settings.station_name)
    stop.wait()
    station.stop()
    db.dispose()


def _wait_until_listening(address: tuple[str, int], *, within_s: float = 60.0) -> None:
    """Return once something accepts connections at ``address`` (or after ``within_s``, whatever happened)."""
    host, port = address
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1" if host in {"0.0.0.0", "::", ""} else host, port), timeout=1):  # noqa: S104
                return
        except OSError:
            time.sleep(0.05)
