"""A proposed plan, kept so that a lab manager can read it and apply it by its id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from labsys.db.types import UTCDateTime, utcnow

__all__ = ["PlanProposal"]


class PlanProposal(SQLModel, table=True):
    """One proposal of the planner for ``[starts_at, ends_at)``: its changes and figures as shown (``body``, the
    :class:`~labsys.planning.schemas.PlanPublic` without id), and when and by whom it was applied, if it was."""

    __tablename__ = "plan_proposal"

    id: int | None = Field(default=None, primary_key=True)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    body: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    applied_by_id: int | None = Field(default=None, foreign_key="user.id")
    applied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
