"""What the audit trail keeps of a run."""

from __future__ import annotations

from typing import Any

from labsys.runs.models import Run

__all__ = ["run_snapshot"]


def run_snapshot(run: Run) -> dict[str, Any]:
    """The run's identity and state, as audit events record them."""
    return run.model_dump(include={"id", "booking_id", "sample_id", "status", "station", "verdict", "failure_reason"})
