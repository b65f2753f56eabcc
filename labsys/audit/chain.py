"""Appending to the audit chain and verifying it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from json.encoder import encode_basestring
from typing import Any, overload

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, select

from labsys.audit.models import AuditEvent, AuditHead
from labsys.db.types import JSONText, table_of, utcnow

__all__ = [
    "GENESIS_HASH",
    "SYSTEM",
    "Actor",
    "ChainBreak",
    "Change",
    "Snapshot",
    "event_hash",
    "record",
    "record_all",
    "verify_chain",
]

GENESIS_HASH = "0" * 64


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


class Snapshot(dict[str, Any]):
    """A JSON-plain copy of a record's values, keys in order, that reads back from the database exactly as written.

    Made by :func:`snapshot`; appending one to the chain copies it no more. Derive others from it with
    :meth:`with_values`, which snapshots only what it adds, so what one change records in several versions (a
    new booking, before and after its quote) is copied once.
    """

    def with_values(self, **values: Any) -> Snapshot:
        """This snapshot with ``values`` added or replaced."""
        return Snapshot(sorted({**self, **_copy(values)}.items()))


def _copy(values: Mapping[Any, Any]) -> dict[str, Any]:
    """What a JSON round trip of ``values`` gives (keys sorted, :func:`_plain` for what JSON has no type for),
    made without writing and parsing the text: the same values, in the same order, in about two thirds of the time."""
    return {_key(key): _copy_value(value) for key, value in sorted(values.items())}


_JSON_SCALARS = (str, int, bool, float)


def _copy_value(value: Any) -> Any:  # noqa: PLR0911 - one case per JSON type, in the order the encoder tries them
    if value is None or type(value) in _JSON_SCALARS:
        return value
    if isinstance(value, str):  # a str enum, as JSON writes it: its text
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, list | tuple):
        return [_copy_value(item) for item in value]
    if isinstance(value, dict):
        return _copy(value)
    return _copy_value(_plain(value))


def _key(key: Any) -> str:
    """A member's name as JSON writes it."""
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, float) or key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, int):
        return int.__repr__(key)
    msg = f"keys must be str, int, float, bool or None, not {type(key).__name__}"
    raise TypeError(msg)


@overload
def snapshot(values: dict[str, Any]) -> Snapshot: ...
@overload
def snapshot(values: None) -> None: ...
def snapshot(values: dict[str, Any] | None) -> Snapshot | None:
    """A JSON-plain copy of ``values`` (itself if it is a :class:`Snapshot` already)."""
    if values is None or isinstance(values, Snapshot):
        return values
    return Snapshot(_copy(values))


_HASHED = ("id", "at", "actor", "actor_id", "action", "entity_type", "entity_id", "before", "after", "prev_hash")
_VERSIONS = ("before", "after")


#: The JSON text an event's hash is taken over: keys sorted, no spaces, characters as they are.
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_MEMBER_NAMES = {name: f"{_canonical(name)}:" for name in _HASHED}


def _digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(content).encode()).hexdigest()


def _digest_with_texts(content: dict[str, Any], texts: Mapping[str, str]) -> str:
    """:func:`_digest` of an event's ``content``, given the canonical texts of its versions (``before``, ``after``).

    The canonical text of an object is its members' texts in key order, and a member's text is the same wherever
    it stands; so the versions, serialized once to be stored, are not serialized again to be hashed.
    """
    members = [_MEMBER_NAMES[name] + (texts.get(name) or _scalar(content[name])) for name in sorted(content)]
    return hashlib.sha256(("{" + ",".join(members) + "}").encode()).hexdigest()


def _scalar(value: Any) -> str:
    """The canonical text of a member of an event, as :data:`_canonical` writes it."""
    if type(value) is str:
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    return _canonical(value)


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's content and the hash of the event before it."""
    content = {name: getattr(event, name) for name in _HASHED}
    content["at"] = event.at.isoformat()
    return _digest(content)


@dataclass(frozen=True)
class Change:
    """One state change to append to the chain: who did what to which record, before and after."""

    actor: Actor
    action: str
    entity_type: str
    entity_id: object
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


_EVENTS = table_of(AuditEvent)
_HEADS = table_of(AuditHead)
# Built once: appending runs on every change of the lab, so it skips the ORM and the statement cache lookup.
_LOCK_HEAD = select(_HEADS.c.last_id, _HEADS.c.last_hash).where(_HEADS.c.id == 1).with_for_update()
_START_HEAD = insert(_HEADS).values(id=1, last_id=0, last_hash=GENESIS_HASH)
_MOVE_HEAD = update(_HEADS).where(_HEADS.c.id == 1).values(last_id=bindparam("new_id"), last_hash=bindparam("new_hash"))
_APPEND = insert(_EVENTS)


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

    The head row is locked (``SELECT … FOR UPDATE``; SQLite's write transaction serialises the same way),
    so concurrent transactions append one after another and the chain never forks. The event commits or
    rolls back with the change it describes.
    """
    return record_all(session, [Change(actor, action, entity_type, entity_id, before, after)])[-1]


def record_all(session: Session, changes: Sequence[Change]) -> list[int]:
    """Append ``changes`` to the chain in order, in the caller's transaction, under one lock of the head; their ids."""
    session.flush()  # the records the events describe, with their ids, go first
    connection = session.connection()
    head = connection.execute(_LOCK_HEAD).first()
    last_id, last_hash = (0, GENESIS_HASH) if head is None else (head.last_id, head.last_hash)
    if head is None:
        connection.execute(_START_HEAD)
    at = utcnow()
    rows = []
    for change in changes:
        row: dict[str, Any] = {
            "id": last_id + 1,
            "at": at.isoformat(),
            "actor": change.actor.name,
            "actor_id": change.actor.id,
            "action": change.action,
            "entity_type": change.entity_type,
            "entity_id": str(change.entity_id),
            "before": snapshot(change.before),
            "after": snapshot(change.after),
            "prev_hash": last_hash,
        }
        # Each version is serialized once: the text is hashed, and stored as it is.
        texts = {name: JSONText(_canonical(row[name])) for name in _VERSIONS if row[name] is not None}
        last_id, last_hash = row["id"], _digest_with_texts(row, texts)
        rows.append({**row, **texts, "at": at, "hash": last_hash})
    connection.execute(_APPEND, rows)
    connection.execute(_MOVE_HEAD, {"new_id": last_id, "new_hash": last_hash})
    return [row["id"] for row in rows]


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
