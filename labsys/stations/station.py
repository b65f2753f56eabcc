"""A station: claims the queued runs of its own instruments and executes them, one at a time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path

from labsys.db import Database
from labsys.equipment.models import Instrument, InstrumentStatus
from labsys.runs import lifecycle
from labsys.runs.lifecycle import RunOutcome
from labsys.runs.models import RunStatus
from labsys.runs.queries import run_instruments
from labsys.stations.connection import Connector
from labsys.stations.execution import execute_run, plan_run
from labsys.stations.programs import MethodProgram
from labsys.stations.recovery import left_file

__all__ = ["Station", "unusable_instruments"]

log = logging.getLogger(__name__)


def unusable_instruments(instruments: Iterable[Instrument], day: date) -> list[str]:
    """Why each of ``instruments`` may not be used on ``day`` (out of service, calibration lapsed); none: all may.

    Checked when a run starts, not only when it is queued: a calibration may lapse, or an instrument be taken out
    of service, while the run waits.
    """
    reasons = []
    for instrument in instruments:
        if instrument.status != InstrumentStatus.IN_SERVICE:
            reasons.append(f"{instrument.asset_tag} is {instrument.status.value.replace('_', ' ')}")
        elif not instrument.calibrated_through(day):
            due = instrument.calibration_due.isoformat() if instrument.calibration_due else "never recorded"
            reasons.append(f"the calibration of {instrument.asset_tag} ran out (due {due})")
    return reasons


class Station:
    """The process on the PC the instruments are cabled to.

    Args:
        name: the station's name, as the equipment record's ``Instrument.station`` names it.
        db: the lab's database.
        data_dir: the lab's data folder (run files go to ``runs/``).
        programs: the procedure and analysis for each ``TestMethod.procedure``.
        connector: opens the instruments.
        poll_s: how often an idle station looks for queued runs.
        today: the lab's calendar date now (calibration is checked again against it when a run starts).
        housekeeping: what the station does for the lab between runs, at most every ``housekeeping_s`` (releasing
            no-shows); what it raises is logged and it is tried again later.
    """

    def __init__(
        self,
        *,
        name: str,
        db: Database,
        data_dir: Path,
        programs: Mapping[str, MethodProgram],
        connector: Connector,
        poll_s: float = 0.5,
        progress_interval_s: float = 0.5,
        today: Callable[[], date] = date.today,
        housekeeping: Callable[[], object] | None = None,
        housekeeping_s: float = 60.0,
    ) -> None:
        self.name = name
        self.db = db
        self.data_dir = data_dir
        self.programs = programs
        self.connector = connector
        self.poll_s = poll_s
        self.progress_interval_s = progress_interval_s
        self.today = today
        self.housekeeping = housekeeping
        self.housekeeping_s = housekeeping_s
        self._housekept_at: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def recover(self) -> list[int]:
        """Mark the runs this station held when it last stopped as ``interrupted``, each with the rows its file
        holds, the file's SHA-256 and the time its last block was written; the files are read, never changed."""
        with self.db.reading() as session:
            held = lifecycle.held_runs(session=session, station=self.name)
        files = {run.id or 0: left_file(self.data_dir, run) for run in held}  # read and hashed outside transactions
        with self.db.writing() as session:
            interrupted = lifecycle.interrupt_station_runs(session=session, station=self.name, files=files)
        if interrupted:
            log.warning("station %s: runs %s were interrupted by its last stop", self.name, interrupted)
        return interrupted

    def run_once(self) -> RunOutcome | None:
        """Claim the oldest queued run of this station's instruments and execute it; None if there was none."""
        with self.db.writing() as session:
            run = lifecycle.claim_next_run(session=session, station=self.name)
            if run is None:
                return None
            plan = plan_run(session, run)
            unusable = unusable_instruments(run_instruments(session, plan.run_id), self.today())
        if unusable:
            return self._fail(plan.run_id, f"not started: {'; '.join(unusable)}")
        program = self.programs.get(plan.method.procedure)
        if program is None:
            return self._fail(plan.run_id, f"station {self.name} has no procedure {plan.method.procedure!r}")
        log.info("station %s: run %s (%s) started", self.name, plan.run_id, plan.method.code)
        outcome = execute_run(
            db=self.db,
            data_dir=self.data_dir,
            plan=plan,
            program=program,
            connector=self.connector,
            progress_interval_s=self.progress_interval_s,
        )
        log.info("station %s: run %s ended %s %s", self.name, plan.run_id, outcome.status, outcome.reason)
        return outcome

    def _fail(self, run_id: int, reason: str) -> RunOutcome:
        """End a claimed run as failed before any instrument is touched."""
        log.warning("station %s: run %s %s", self.name, run_id, reason)
        outcome = RunOutcome(RunStatus.FAILED, reason=reason)
        with self.db.writing() as session:
            lifecycle.finish_run(session=session, run_id=run_id, outcome=outcome)
        return outcome

    def serve(self) -> None:
        """Run until :meth:`stop`: recover, then claim and execute runs, polling while idle."""
        self.recover()
        while not self._stop.is_set():
            try:
                self._housekeep()
                if self.run_once() is None:
                    self._stop.wait(self.poll_s)
            except Exception:  # a database hiccup must not kill the station; it retries after a pause
                log.exception("station %s: could not claim or record a run", self.name)
                self._stop.wait(self.poll_s * 4)

    def _housekeep(self) -> None:
        if self.housekeeping is None:
            return
        now = time.monotonic()
        if self._housekept_at is not None and now - self._housekept_at < self.housekeeping_s:
            return
        self._housekept_at = now
        self.housekeeping()

    def start(self) -> None:
        """Serve in a background thread (``labsys serve`` runs its station this way)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self.serve, name=f"station-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the current run ends (at most ``timeout_s``)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
