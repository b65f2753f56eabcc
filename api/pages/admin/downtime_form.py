"""The form that blocks an instrument for maintenance or repair: its kind, its start and end as the lab's clock
reads them (a date and a time each, converted to UTC here), and why.

:class:`~labsys.downtime.schemas.DowntimeCreate` judges the block; this module reads the form into it and words
its refusals next to the field at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from api.pages.admin.forms import FieldErrors, validation_errors
from api.pages.i18n import gettext as _
from labsys.bounds import LAB_YEARS
from labsys.downtime.schemas import DowntimeCreate

__all__ = ["DOWNTIME_FIELDS", "read_block"]

#: The form's fields: each end of the block is a date and a time in the lab's zone.
DOWNTIME_FIELDS = ("kind", "starts_on", "starts_time", "ends_on", "ends_time", "reason")

# The form's date field that shows a problem of the block's start or end.
_DAY_FIELD = {"starts_at": "starts_on", "ends_at": "ends_on"}


def _lab_moment(values: Mapping[str, str], end: str, zone: ZoneInfo, errors: FieldErrors) -> datetime | None:
    """The UTC time the fields ``<end>_on`` and ``<end>_time`` name on the lab's clock, or None (and why in
    ``errors``)."""
    day_field, time_field = f"{end}_on", f"{end}_time"
    day: date | None = None
    clock: time | None = None
    first, last = LAB_YEARS
    try:
        day = date.fromisoformat(values[day_field])
    except KeyError:
        errors[day_field] = _("Fill this in.")
    except ValueError:
        errors[day_field] = _("Enter a date.")
    else:
        if not first <= day.year <= last:  # also keeps the zone's arithmetic off the calendar's ends
            errors[day_field] = _("Enter a date between the years %(first)s and %(last)s.", first=first, last=last)
            day = None
    try:
        clock = time.fromisoformat(values[time_field])
    except KeyError:
        errors[time_field] = _("Fill this in.")
    except ValueError:
        errors[time_field] = _("Enter a time, e.g. 09:30.")
    if day is None or clock is None:
        return None
    return datetime.combine(day, clock, zone).astimezone(UTC)


def _span_refusal(starts: datetime | None, ends: datetime | None) -> str:
    if starts is not None and ends is not None and ends <= starts:
        return _("The block must end after it starts.")
    return _("A block lasts at most a year: for a longer absence, take the instrument out of service.")


def read_block(values: Mapping[str, str], zone: ZoneInfo) -> DowntimeCreate | FieldErrors:
    """The block the form's trimmed ``values`` describe, times read in the lab's ``zone``; or each field's
    problem, the block's span (end before start, too long) shown at its end date."""
    errors: FieldErrors = {}
    moments = {
        "starts_at": _lab_moment(values, "starts", zone, errors),
        "ends_at": _lab_moment(values, "ends", zone, errors),
    }
    given = {name: values[name] for name in ("kind", "reason") if name in values}
    try:
        block = DowntimeCreate.model_validate({**given, **{k: v for k, v in moments.items() if v is not None}})
    except ValidationError as exc:
        refusals = {"ends_on": _span_refusal(moments["starts_at"], moments["ends_at"])}
        for field, problem in validation_errors(exc, whole="ends_on", refusals=refusals).items():
            if field in moments and moments[field] is None:
                continue  # its date or time was already refused as typed
            errors.setdefault(_DAY_FIELD.get(field, field), problem)
        return errors
    return errors or block
