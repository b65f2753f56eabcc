"""Checkpointing the audit chain after each write that added events to it.

A checkpoint is made once the transaction has committed, never before: a checkpoint of an event that was then
rolled back would be a false alarm for ever. The lab writes a few events an hour, so each such write gets its own
checkpoint (a signature and a line synced to disk: about a millisecond); a checkpoint of the newest event vouches
for every event before it, because each event's hash covers the one before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from labsys.audit.chain import PENDING_HEAD
from labsys.audit.checkpoints import Checkpoint, CheckpointKey, CheckpointLog
from labsys.db import Database, utcnow
from labsys.errors import LabError

__all__ = ["Checkpointer"]

log = logging.getLogger(__name__)


class Checkpointer:
    """Signs the chain's head and appends it to the checkpoint file.

    Args:
        checkpoints: The checkpoint file.
        key: Gives the key that signs (called on the first checkpoint; a lab's keys may be made after it starts).
        clock: The current time (UTC).
    """

    def __init__(
        self, checkpoints: CheckpointLog, key: Callable[[], CheckpointKey], clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.checkpoints = checkpoints
        self._key_source = key
        self._key: CheckpointKey | None = None
        self._clock = clock
        self._lock = threading.Lock()
        self._reported: set[str] = set()

    def checkpoint(self, sequence: int, head: str) -> Checkpoint:
        """Sign the head ``(sequence, head)`` now and append it to the file.

        Raises:
            LabError: the lab has no key to sign with (a production lab without its keys).
            ValueError: the key cannot sign.
            OSError: the file cannot be written.
        """
        with self._lock:
            if self._key is None:
                self._key = self._key_source()
            checkpoint = self._key.sign(sequence=sequence, head=head, at=self._clock())
            self.checkpoints.append(checkpoint)
        return checkpoint

    def attach(self, db: Database) -> None:
        """Checkpoint the head after each of ``db``'s write transactions that added events to the chain."""
        db.after_each_write(self._after_commit)

    def _after_commit(self, session: Session) -> None:
        head = session.info.pop(PENDING_HEAD, None)
        if head is None:
            return
        try:
            self.checkpoint(*head)
        except (LabError, ValueError, OSError) as exc:
            # The change is committed; failing its request now would tell the person it was not. The next
            # checkpoint vouches for this event too, and `labsys audit verify` names the events no checkpoint covers.
            detail = exc.detail if isinstance(exc, LabError) else f"{type(exc).__name__}: {exc}"
            # Said once per reason: a station PC that holds no signing key would otherwise say it at every run.
            level = logging.DEBUG if detail in self._reported else logging.ERROR
            self._reported.add(detail)
            log.log(level, "audit event %s is not checkpointed (later checkpoints cover it): %s", head[0], detail)
