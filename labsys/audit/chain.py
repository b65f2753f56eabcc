"""Appending to the audit chain and verifying it.

Each event stores a JSON copy of the record before and after the change, and the SHA-256 of its own content and
of the event before it. Changing or deleting an event breaks the chain at that event, and
:func:`verify_chain` names it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from labsys.audit.models import AuditEvent, AuditHead
from labsys.db.types import utcnow

__all__ = [
    "GENESIS_HASH",
    "PENDING_HEAD",
    "SYSTEM",
    "Actor",
    "ChainBreak",
    "event_hash",
    "record",
    "snapshot",
    "verify_chain",
]

GENESIS_HASH = "0" * 64

#: The key of ``Session.info`` under which :func:`record` leaves the chain's new head ``(id, hash)``, for whatever
#: checkpoints the head once the transaction commits (:mod:`labsys.audit.checkpointing`).
PENDING_HEAD = "labsys_audit_head"


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a signed-in user, or the lab's own machinery (``id`` None)."""

    name: str
    id: int | None = None


#: The actor of changes no person made (a station, the demo seed, a migration).
SYSTEM = Actor("system")


@dataclass(frozen=True)
class ChainBreak:
    """The first event at which the chain does not hold, and why."""

    event_id: int
    reason: str


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    msg = f"cannot record {type(value).__name__} in the audit trail"
    raise TypeError(msg)


def snapshot(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` as the audit trail stores them: through JSON (times as ISO 8601 text, enums as their values), so
    what is hashed is exactly what the database gives back."""
    if values is None:
        return None
    plain: dict[str, Any] = json.loads(json.dumps(values, default=_plain))
    return plain


_HASHED = ("id", "at", "actor", "actor_id", "action", "entity_type", "entity_id", "before", "after", "prev_hash")


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's content and the hash of the event before it (canonical JSON: keys sorted, no
    spaces, characters as they are)."""
    content = {name: getattr(event, name) for name in _HASHED}
    content["at"] = event.at.isoformat()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> int:
    """Append an event to the chain in the caller's transaction; its id.

    The chain's head row is locked (``SELECT … FOR UPDATE``; SQLite's write transaction serialises the same way),
    so events are appended one after another and the chain never forks. The event commits or rolls back with the
    change it describes.
    """
    session.flush()  # the records the event describes, with their ids, go first
    head = session.get(AuditHead, 1, with_for_update=True)
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS_HASH)
    event = AuditEvent(
        id=head.last_id + 1,
        at=utcnow(),
        actor=actor.name,
        actor_id=actor.id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=snapshot(before),
        after=snapshot(after),
        prev_hash=head.last_hash,
        hash="",
    )
    event.hash = event_hash(event)
    head.last_id, head.last_hash = event.id, event.hash
    session.add_all([event, head])
    session.flush()
    session.info[PENDING_HEAD] = (event.id, event.hash)
    return event.id


def verify_chain(session: Session, *, batch: int = 1000) -> tuple[int, ChainBreak | None]:
    """Walk the chain from the first event; return how many events hold and the first break, if any."""
    expected_prev, expected_id, checked = GENESIS_HASH, 1, 0
    last_seen = 0
    while True:
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) > last_seen).order_by(col(AuditEvent.id)).limit(batch)
        ).all()
        if not events:
            break
        for event in events:
            problem = _check(event, expected_id, expected_prev)
            if problem:
                return checked, ChainBreak(min(event.id, expected_id), problem)
            expected_prev, expected_id, checked = event.hash, event.id + 1, checked + 1
        last_seen = events[-1].id
    head = session.get(AuditHead, 1)
    if head is not None and head.last_id != checked:
        return checked, ChainBreak(checked + 1, f"the head names event {head.last_id}, the chain ends at {checked}")
    return checked, None


def _check(event: AuditEvent, expected_id: int, expected_prev: str) -> str | None:
    if event.id != expected_id:
        return f"event {expected_id} is missing"
    if event.prev_hash != expected_prev:
        return "its previous-hash does not match the event before it"
    if event_hash(event) != event.hash:
        return "its content does not match its hash (changed after it was written)"
    return None
