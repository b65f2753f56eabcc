"""A lab rule's refusal of a booking or a reschedule, as the pages say it: a sentence for the rule, the service's
detail, and the next free slot the service found (which the page offers as a button)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.pages.i18n import gettext
from api.pages.vocabulary import N_
from labsys.errors import RuleViolation

__all__ = ["RULE_SENTENCES", "Refusal", "refusal_of"]

#: What each scheduling rule means for the person whose start it refused.
RULE_SENTENCES = {
    "engineer_qualification": N_("No engineer of the lab is qualified to run this test at the moment."),
    "closed_day": N_("The lab is closed on that day (a weekend, a public holiday or a closure)."),
    "opening_hours": N_("The test would not fit within the lab's opening hours on that day."),
    "minimum_notice": N_("That start is too soon: the lab needs more notice to prepare."),
    "maximum_advance": N_("That start is too far ahead: bookings open only a limited time in advance."),
    "weekly_quota": N_("Your company already has as many bookings as it may have in that week."),
    "instrument_in_service": N_("No instrument this test needs is in service at the moment."),
    "calibration": N_("No instrument this test needs is calibrated through that day."),
    "downtime": N_("An instrument this test needs is down for maintenance or repair at that time."),
    "engineer_on_shift": N_("No engineer who can run this test is on duty and free at that time."),
    "slot_taken": N_("That time has just been taken: the instruments are booked then."),
    "no_free_slot": N_("No slot is free for this test within the booking horizon."),
}


@dataclass(frozen=True)
class Refusal:
    """Why a rule refused the start: ``sentence`` in the page's language, ``detail`` as the service said it, and the
    next start that would work (None when the service found none)."""

    rule: str
    sentence: str
    detail: str
    next_slot: datetime | None


def refusal_of(violation: RuleViolation) -> Refusal:
    """The refusal a page shows for ``violation``."""
    known = RULE_SENTENCES.get(violation.rule)
    sentence = gettext(known) if known else gettext("A rule of the lab does not allow this booking.")
    following = violation.extra.get("next_slot")
    next_slot = datetime.fromisoformat(following) if isinstance(following, str) else None
    return Refusal(rule=violation.rule, sentence=sentence, detail=violation.detail, next_slot=next_slot)
