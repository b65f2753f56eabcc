"""Time at the lab's edges: UTC inside, the lab's zone (Asia/Seoul) where people see it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = ["lab_today"]


def lab_today(zone: ZoneInfo, now: datetime | None = None) -> date:
    """The calendar date at the lab now (or at ``now``)."""
    return (now or datetime.now(UTC)).astimezone(zone).date()
