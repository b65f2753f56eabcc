"""Audit events and the head of their chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime

__all__ = ["AuditEvent", "AuditHead"]


class AuditEvent(SQLModel, table=True):
    """One state change: who did what to which record, the record before and after, chained by hashes.

    ``id`` is a gapless sequence: a deleted event shows as a gap, a changed one as a hash mismatch.

    Only ``id`` is indexed: the chain is read in ``id`` order, and appending locks its head, so it never forks.
    Each hash covers the previous one, so no two events can share one, and :func:`~labsys.audit.verify_chain`
    recomputes every link; an index on ``hash`` (random keys) would cost each event a page written and check
    nothing the chain does not.
    """

    __tablename__ = "audit_event"

    id: int = Field(primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=254)
    actor_id: int | None = None
    action: str = Field(max_length=100)
    entity_type: str = Field(max_length=50)
    entity_id: str = Field(max_length=50)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The single row that names the newest event; appending locks it so the chain never forks."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    last_id: int = 0
    last_hash: str = Field(default="0" * 64, max_length=64)
