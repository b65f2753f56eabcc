"""Scheduling: the lab's time rules, free slots, and the check every booking and reschedule passes."""

from labsys.scheduling.availability import (
    Start,
    check_start,
    earliest_slot,
    find_slots,
    first_slot,
    judge_start,
    refusal_error,
    slot_for,
)
from labsys.scheduling.busy import HeldTime
from labsys.scheduling.policy import SchedulingPolicy, policy_for
from labsys.scheduling.rules import RULE_NAMES, Refusal, Slot

__all__ = [
    "RULE_NAMES",
    "HeldTime",
    "Refusal",
    "SchedulingPolicy",
    "Slot",
    "Start",
    "check_start",
    "earliest_slot",
    "find_slots",
    "first_slot",
    "judge_start",
    "policy_for",
    "refusal_error",
    "slot_for",
]
