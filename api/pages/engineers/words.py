"""Words the engineers' pages show for the lab's records: instrument statuses, calibration states, and the rules
that can refuse a step (each with a sentence a person can act on)."""

from __future__ import annotations

from api.pages.i18n import gettext
from api.pages.vocabulary import N_

__all__ = ["CALIBRATION_STATES", "INSTRUMENT_STATUSES", "RULE_REFUSALS", "labels", "refusal"]

#: An instrument's status as people read it.
INSTRUMENT_STATUSES = {
    "in_service": N_("In service"),
    "maintenance": N_("In maintenance"),
    "retired": N_("Retired"),
}

#: Where an instrument's calibration stands today.
CALIBRATION_STATES = {
    "valid": N_("Calibrated"),
    "due_soon": N_("Calibration due within 30 days"),
    "overdue": N_("Calibration overdue"),
    "none": N_("No calibration on record"),
}

#: What each rule that can refuse starting a run means for the engineer.
RULE_REFUSALS = {
    "engineer_qualified": N_("You are not qualified for an instrument this test uses."),
    "instrument_usable": N_("An instrument of this booking is out of service or out of calibration."),
    "sample_receipt": N_("The samples of this booking have not all been received."),
}

#: The sentence for a rule without one of its own.
_ANY_RULE = N_("A rule of the lab refuses this.")


def labels(words: dict[str, str]) -> dict[str, str]:
    """``words`` in the request's language."""
    return {key: gettext(message) for key, message in words.items()}


def refusal(rule: str) -> str:
    """The sentence for a rule's refusal in the request's language (a rule without one: a general sentence)."""
    return gettext(RULE_REFUSALS.get(rule, _ANY_RULE))
