"""What the admin's instrument page shows of its downtime: the blocks, the form to add one, and after adding a
block, the bookings it displaces with the weeks to plan again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from api.pages.admin.forms import FieldErrors
from labsys.companies.service import AccountService
from labsys.downtime import DowntimeService
from labsys.downtime.schemas import DisplacedBooking, DowntimePublic
from labsys.weeks import iso_week

__all__ = ["DowntimeView", "downtime_view"]


@dataclass(frozen=True)
class DowntimeView:
    """An instrument's downtime as the page shows it.

    Attributes:
        blocks: the instrument's blocks, by start.
        makers: who made each block, by user id.
        added: the block just added, if it is still there.
        displaced: the bookings ``added`` displaces, earliest first.
        weeks: the lab weeks (``2026-W49``) those bookings start in, for the planner's links.
        values: the form's values as typed.
        errors: the form's problems, by field.
    """

    blocks: list[DowntimePublic]
    makers: dict[int, str]
    added: DowntimePublic | None = None
    displaced: Sequence[DisplacedBooking] = ()
    weeks: Sequence[str] = ()
    values: dict[str, str] = field(default_factory=lambda: {"kind": "maintenance"})
    errors: FieldErrors = field(default_factory=dict)


def downtime_view(
    downtime: DowntimeService,
    accounts: AccountService,
    asset_tag: str,
    *,
    zone: ZoneInfo,
    added: int | None = None,
    values: dict[str, str] | None = None,
    errors: FieldErrors | None = None,
) -> DowntimeView:
    """The instrument's downtime; ``added`` the id of the block just added (one since removed shows nothing).

    Raises:
        NotFound: no such instrument.
    """
    blocks = downtime.list(asset_tag).data
    block = next((b for b in blocks if b.id == added), None)
    displaced = downtime.displaced(asset_tag, block.id) if block else ()
    makers = {user.id: user.name for user in accounts.list_users().data} if blocks else {}
    weeks = sorted({iso_week(d.starts_at.astimezone(zone).date()) for d in displaced})
    return DowntimeView(
        blocks=blocks,
        makers=makers,
        added=block,
        displaced=displaced,
        weeks=weeks,
        values=values or {"kind": "maintenance"},
        errors=errors or {},
    )
