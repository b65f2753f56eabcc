"""What a run keeps when its station stopped in the middle of it: the rows its file holds, the file's digest, and
when its last block was written. Read from the file, which is never written again, when the station starts."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from labsys.db import utcnow
from labsys.runs.lifecycle import LeftFile
from labsys.runs.models import Run
from results.hdf5 import read_unfinished, sha256_file

__all__ = ["left_file"]

log = logging.getLogger(__name__)


def left_file(data_dir: Path, run: Run) -> LeftFile:
    """What ``run``'s file holds now that its station has stopped (reads and hashes it: no transaction open).

    The run's end is the time its file's last block was written. A file the stop left unreadable (killed while it
    was being created) keeps its digest, no rows, and the time it last changed; a run that wrote no file ends when
    it started, the last moment it is known to have been alive.
    """
    path = data_dir / run.hdf5_path if run.hdf5_path else None
    if path is None or not path.is_file():
        return LeftFile(rows=0, sha256=None, last_written=run.started_at or utcnow())
    changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    try:
        found = read_unfinished(path)
    except (OSError, KeyError) as exc:
        log.warning("run %s: its file %s cannot be read: %s", run.id, path, exc)
        return LeftFile(rows=0, sha256=sha256_file(path), last_written=changed)
    return LeftFile(rows=found.rows, sha256=found.sha256, last_written=found.last_block_time or changed)
