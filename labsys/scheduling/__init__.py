"""Scheduling: the lab's time rules, free slots, and the check every booking and reschedule passes."""

from labsys.scheduling.availability import Start, check_start, earliest_slot, find_slots, first_slot, slot_for
from labsys.scheduling.policy import SchedulingPolicy, policy_for
from labsys.scheduling.rules import RULE_NAMES, Slot

__all__ = [
    "RULE_NAMES",
    "SchedulingPolicy",
    "Slot",
    "Start",
    "check_start",
    "earliest_slot",
    "find_slots",
    "first_slot",
    "policy_for",
    "slot_for",
]
