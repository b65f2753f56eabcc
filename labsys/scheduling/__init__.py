"""Scheduling: the lab's time rules, free slots, and the check every booking and reschedule passes."""

from labsys.scheduling.availability import check_start, earliest_slot, find_slots, first_slot
from labsys.scheduling.policy import SchedulingPolicy, policy_for
from labsys.scheduling.rules import RULE_NAMES, Slot

__all__ = [
    "RULE_NAMES",
    "SchedulingPolicy",
    "Slot",
    "check_start",
    "earliest_slot",
    "find_slots",
    "first_slot",
    "policy_for",
]
