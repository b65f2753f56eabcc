"""Words for certificates, reviews and verification that come from the lab's records: statuses, verdicts, what a
check of a PDF found, and why a service refused a step. Marked here so the catalogs hold them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from api.pages.i18n import gettext
from api.pages.vocabulary import N_
from labsys.errors import Conflict, LabError, PermissionDenied

__all__ = [
    "CERTIFICATE_STATUSES",
    "FINDINGS",
    "REPORT_VERDICTS",
    "RUN_VERDICTS",
    "URGENCIES",
    "WORDS",
    "Words",
    "refusal",
]

#: A certificate's standing as people read it.
CERTIFICATE_STATUSES = {
    "issued": N_("Valid"),
    "superseded": N_("Superseded"),
    "revoked": N_("Revoked"),
}

#: A run's own verdict against the method's limits.
RUN_VERDICTS = {
    "pass": N_("Pass"),
    "fail": N_("Fail"),
    "inconclusive": N_("Inconclusive"),
}

#: A verdict as the report words it (ILAC-G8).
REPORT_VERDICTS = {
    "Pass": N_("Pass"),
    "Fail": N_("Fail"),
    "Conditional pass": N_("Conditional pass"),
    "Conditional fail": N_("Conditional fail"),
    "Not assessed": N_("Not assessed"),
}

#: How soon the customer wants the report.
URGENCIES = {"standard": N_("Standard"), "urgent": N_("Urgent")}

#: What a check of an uploaded PDF found (``DocumentCheckPublic.finding``), in a sentence.
FINDINGS = {
    "authentic": N_("Authentic: this file is exactly the test report the lab issued, and its signature is valid."),
    "unconfirmed": N_("This file is the one the lab issued, but its signature could not be confirmed here."),
    "changed": N_("This file was changed after the lab signed it: it is not the test report the lab issued."),
    "other_document": N_("This file was signed by the lab, but it is not the test report issued under this number."),
    "not_from_the_lab": N_("This file was not issued by the lab: it carries no signature of the lab."),
}

#: Why a service refused a step, by the kind of refusal (the service's own detail is shown below it).
_REFUSALS: tuple[tuple[type[LabError], str], ...] = (
    (PermissionDenied, N_("You may not do this.")),
    (Conflict, N_("This cannot be done in the record's present state.")),
)


def refusal(error: LabError) -> str:
    """The sentence, in the page's language, that says a service refused a step."""
    sentence = next((text for kind, text in _REFUSALS if isinstance(error, kind)), N_("The lab refused this."))
    return gettext(sentence)


@dataclass(frozen=True)
class Words:
    """The maps above, for templates (``words.run_verdicts[run.verdict]``, translated where shown)."""

    certificate_statuses: Mapping[str, str] = field(default_factory=lambda: CERTIFICATE_STATUSES)
    run_verdicts: Mapping[str, str] = field(default_factory=lambda: RUN_VERDICTS)
    report_verdicts: Mapping[str, str] = field(default_factory=lambda: REPORT_VERDICTS)
    urgencies: Mapping[str, str] = field(default_factory=lambda: URGENCIES)
    findings: Mapping[str, str] = field(default_factory=lambda: FINDINGS)


#: What every page of this area passes its template as ``words``.
WORDS = Words()
