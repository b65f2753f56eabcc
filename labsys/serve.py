"""``labsys serve``, ``labsys station`` and ``labsys sim``: the lab's long-running processes."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from contextlib import ExitStack

import uvicorn

from labsys.certificates.audit_checkpoints import checkpoint_audit_writes
from labsys.certificates.keys import root_key_online
from labsys.db import Database, create_lab_engine
from labsys.migrations import upgrade
from labsys.settings import Settings
from labsys.station_process import StationProcess

__all__ = ["APP_FACTORY", "migrated_database", "serve_lab", "serve_station"]

log = logging.getLogger(__name__)

#: What uvicorn imports: the API package builds its app from the same ``LABSYS_*`` settings.
APP_FACTORY = "api.app:create_app_from_environment"


def migrated_database(settings: Settings) -> Database:
    """The lab's database, migrated to the newest schema (its data folder made first), its audit chain
    checkpointed after each write that adds to it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_lab_engine(settings.resolved_database_url)
    upgrade(engine)
    db = Database(engine)
    checkpoint_audit_writes(db, settings)
    return db


def serve_lab(
    settings: Settings, *, demo: bool, host: str, port: int, workers: int = 1, echo: Callable[[str], None] = print
) -> None:
    """Migrate, (demo) seed and start the bench, serve the API until stopped, with one station in a process of its
    own started once the API listens (the person who started the lab has the API while the station loads its drivers
    and procedures).

    Args:
        workers: server processes; each serves every request on its own (the database keeps them consistent).
    """
    for warning in settings.warnings():
        echo(f"warning: {warning}")
    if (root_key := root_key_online(settings)) is not None:
        echo(f"warning: the root CA's private key is online at {root_key}: move it offline (the lab does not need it)")
    db = migrated_database(settings)
    with ExitStack() as stack:
        stack.callback(db.dispose)
        if demo:
            from labsys.demo.lab import start_demo_lab  # noqa: PLC0415 - only the demo loads the simulated bench

            start_demo_lab(settings, db, stack, echo)
        station = StationProcess(settings, echo=echo)
        station.start_when_listening((host, port))
        stack.callback(station.stop)
        echo(f"the lab's pages: open http://{host}:{port}/ in a browser; API docs at http://{host}:{port}/schema/")
        uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_level="info")


def serve_station(settings: Settings, *, attached: bool = False) -> None:
    """Run one station in the foreground against the lab's database until SIGINT or SIGTERM.

    Args:
        attached: stop also when standard input closes: the server that started this station has ended.
    """
    from labsys.stations.factory import build_station  # noqa: PLC0415 - loads the drivers and procedures

    logging.basicConfig(format="%(levelname)s:  %(message)s")  # others' warnings and errors
    logging.getLogger("labsys").setLevel(logging.INFO)  # and what the station does
    db = migrated_database(settings)
    station = build_station(settings, db)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    if attached:
        threading.Thread(target=_set_when_input_ends, args=(stop,), name="station-input", daemon=True).start()
    station.start()
    log.info("station %s started (process %d)", settings.station_name, os.getpid())
    stop.wait()
    log.info("station %s stopping", settings.station_name)
    station.stop()
    db.dispose()
    log.info("station %s stopped", settings.station_name)


def _set_when_input_ends(stop: threading.Event) -> None:
    """Set ``stop`` once standard input has nothing more to give (its writer closed it or ended)."""
    # The file descriptor, not sys.stdin: a buffered reader blocked here would hold its lock at exit.
    while os.read(0, 4096):
        pass
    stop.set()
