"""Time at the lab's edges: UTC inside, the lab's zone (Asia/Seoul) where people see it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = ["lab_today", "to_lab_time"]


def lab_today(zone: ZoneInfo, now: datetime | None = None) -> date:
    """The calendar date at the lab now (or at ``now``)."""
    return (now or datetime.now(UTC)).astimezone(zone).date()


def to_lab_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """An aware UTC time shown in the lab's zone."""
    return moment.astimezone(zone)
