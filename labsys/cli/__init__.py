"""The ``labsys`` command: serve the lab, run a station, migrate, manage users, bookings and runs, plan a week's
work, verify the audit trail, the signing keys, the equipment and the simulated bench — a module per command group."""

from __future__ import annotations

from labsys.cli import audit, bookings, equipment, keys, lab, plan, runs, sim, users
from labsys.cli.root import main

__all__ = ["main"]

# Each module adds its commands to ``main`` when it is imported.
_COMMAND_GROUPS = (lab, users, audit, bookings, plan, runs, keys, equipment, sim)
