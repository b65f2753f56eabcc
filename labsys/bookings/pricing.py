"""The quote and the turnaround of a booking."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from fractions import Fraction

from labsys.bookings.models import Quote, Urgency
from labsys.bounds import MONEY_MAX_KRW
from labsys.errors import InvalidInput
from labsys.scheduling import SchedulingPolicy

__all__ = ["URGENCY_FACTOR", "quote_for", "report_due"]

#: What urgency multiplies the fee by; urgent work is also due in half the working days (rounded up).
URGENCY_FACTOR: dict[Urgency, Fraction] = {Urgency.STANDARD: Fraction(1), Urgency.URGENT: Fraction(3, 2)}


def quote_for(*, unit_fee_krw: int, quantity: int, urgency: Urgency) -> Quote:
    """The fee in KRW: unit fee × total quantity × urgency factor, half a won rounded up.

    Raises:
        InvalidInput: the fee is more than one booking can record (``samples``: fewer pieces per booking would do).
    """
    factor = URGENCY_FACTOR[urgency]
    exact = unit_fee_krw * quantity * factor
    fee = math.floor(exact + Fraction(1, 2))
    if fee > MONEY_MAX_KRW:
        raise InvalidInput(
            "samples", f"the fee of {fee:,} KRW is more than one booking can record ({MONEY_MAX_KRW:,} KRW): "
            "book fewer pieces at a time"
        )  # fmt: skip
    return Quote(
        unit_fee_krw=unit_fee_krw, quantity=quantity, urgency=urgency, urgency_factor=float(factor), fee_krw=fee
    )


def report_due(*, policy: SchedulingPolicy, work_ends: datetime, turnaround_days: int, urgency: Urgency) -> date:
    """The working day the report is due: ``turnaround_days`` open days after the work (half if urgent)."""
    days = turnaround_days if urgency is Urgency.STANDARD else math.ceil(turnaround_days / 2)
    day = policy.lab_date(work_ends)
    while days > 0:
        day += timedelta(days=1)
        if policy.is_open(day):
            days -= 1
    return day
