"""The admin's words for the lab's records: roles, an instrument's status and calibration, decision rules.

Marked here for the catalogs; :func:`admin_page` hands templates the functions that say them in the page's
language.
"""

from __future__ import annotations

from typing import Any

from litestar.response import Template

from api.pages.i18n import gettext
from api.pages.rendering import page
from api.pages.vocabulary import N_
from labsys.equipment.service import DUE_SOON_DAYS

__all__ = [
    "CALIBRATION_STATES",
    "DECISION_RULES",
    "DOWNTIME_KINDS",
    "INSTRUMENT_STATUSES",
    "ROLES",
    "admin_page",
    "role_name",
]

#: What each role is called.
ROLES = {
    "customer": N_("Customer"),
    "engineer": N_("Engineer"),
    "reviewer": N_("Reviewer"),
    "admin": N_("Administrator"),
}

#: Whether an instrument may be booked and used.
INSTRUMENT_STATUSES = {
    "in_service": N_("In service"),
    "maintenance": N_("Under maintenance"),
    "retired": N_("Retired"),
}

#: Where an instrument's calibration stands today (``%(days)s``: the days ahead that count as due soon).
CALIBRATION_STATES = {
    "valid": N_("Calibrated"),
    "due_soon": N_("Due within %(days)s days"),
    "overdue": N_("Calibration overdue"),
    "none": N_("No calibration on record"),
}

#: Why an instrument is blocked for a while.
DOWNTIME_KINDS = {
    "maintenance": N_("Maintenance"),
    "repair": N_("Repair"),
}

#: How a result is judged against the spec limits.
DECISION_RULES = {
    "simple": N_("Simple acceptance"),
    "guard_band": N_("Guard band (ILAC-G8)"),
}


def role_name(role: str) -> str:
    """What ``role`` is called in the page's language."""
    return gettext(ROLES[str(role)])


def admin_page(template: str, *, status_code: int = 200, **context: Any) -> Template:
    """The admin page ``template`` with ``context`` and the functions that name roles, statuses and rules."""
    return page(
        template,
        status_code=status_code,
        role_name=role_name,
        instrument_status=lambda status: gettext(INSTRUMENT_STATUSES[str(status)]),
        calibration_state=lambda state: gettext(CALIBRATION_STATES[str(state)], days=DUE_SOON_DAYS),
        decision_rule=lambda rule: gettext(DECISION_RULES[str(rule)]),
        downtime_kind=lambda kind: gettext(DOWNTIME_KINDS[str(kind)]),
        **context,
    )
