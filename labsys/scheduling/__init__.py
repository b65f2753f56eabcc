"""Scheduling: the lab's time rules, free slots, reservations, and the check every booking and reschedule passes."""

from labsys.scheduling.availability import (
    MAX_WINDOW,
    Start,
    check_start,
    earliest_slot,
    find_slots,
    first_slot,
    slot_for,
)
from labsys.scheduling.context import Quota
from labsys.scheduling.models import ReleaseReason
from labsys.scheduling.policy import SchedulingPolicy, policy_for
from labsys.scheduling.reservations import hold, release
from labsys.scheduling.rules import RULE_NAMES, Refusal, Slot

__all__ = [
    "MAX_WINDOW",
    "RULE_NAMES",
    "Quota",
    "Refusal",
    "ReleaseReason",
    "SchedulingPolicy",
    "Slot",
    "Start",
    "check_start",
    "earliest_slot",
    "find_slots",
    "first_slot",
    "hold",
    "policy_for",
    "release",
    "slot_for",
]
