"""Words the pages show that come from the lab's records, not from a template: marked here so the catalogs hold
them (a metric's or a parameter's name as :func:`labsys.certificates.conformity.metric_title` writes it, a
status, a role)."""

from __future__ import annotations

import re

from api.pages.i18n import gettext
from labsys.certificates.conformity import metric_title

__all__ = ["BOOKING_STATUSES", "N_", "RECORD_WORDS", "RUN_STATUSES", "metric_label"]


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, translate later"
    """Mark ``message`` for the catalogs; it is translated where it is shown."""
    return message


#: The names of the demo catalog's metrics and parameters, as the pages title them.
RECORD_WORDS = (
    # metrics
    N_("Ideality factor"),
    N_("Series resistance"),
    N_("Saturation current"),
    N_("Resistance at reference"),
    N_("Temperature coefficient"),
    N_("Resistance"),
    N_("Time constant"),
    N_("Rise time"),
    N_("Overshoot"),
    N_("Step amplitude"),
    N_("Capacitance"),
    N_("Dissipation factor"),
    # parameters
    N_("Ambient temperature"),
    N_("Amplitude"),
    N_("Compliance current"),
    N_("Frequency"),
    N_("Nplc"),
    N_("Points"),
    N_("Readings per step"),
    N_("Record points"),
    N_("Records"),
    N_("Reference temperature"),
    N_("Repeats"),
    N_("Start temperature"),
    N_("Start voltage"),
    N_("Stop temperature"),
    N_("Stop voltage"),
    N_("Temperature steps"),
    N_("Timebase"),
    N_("Voltage level"),
)

#: A booking's statuses as people read them.
BOOKING_STATUSES = {
    "requested": N_("Requested"),
    "quoted": N_("Quoted"),
    "confirmed": N_("Confirmed"),
    "sample_received": N_("Samples received"),
    "testing": N_("Testing"),
    "in_review": N_("In review"),
    "reported": N_("Reported"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
    "rejected": N_("Rejected"),
}

#: A run's statuses as people read them.
RUN_STATUSES = {
    "queued": N_("Queued"),
    "running": N_("Running"),
    "completed": N_("Completed"),
    "failed": N_("Failed"),
    "aborted": N_("Aborted"),
    "interrupted": N_("Interrupted"),
}


_AT_FREQUENCY = re.compile(r"^(?P<name>.+)_(?P<hertz>\d+(?:\.\d+)?)Hz$")


def metric_label(name: str) -> str:
    """A metric's or parameter's name as the page's language says it: ``capacitance_1000Hz`` → ``정전 용량
    (1000 Hz)``."""
    at_frequency = _AT_FREQUENCY.match(name)
    if at_frequency:
        return f"{gettext(metric_title(at_frequency['name']))} ({at_frequency['hertz']} Hz)"
    return gettext(metric_title(name))
