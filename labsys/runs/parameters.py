"""Checking a run's parameters against the method's declared limits."""

from __future__ import annotations

import math
from typing import Any

from labsys.errors import InvalidInput

__all__ = ["resolve_parameters"]


def resolve_parameters(declared: list[dict[str, Any]], given: dict[str, float]) -> dict[str, dict[str, Any]]:
    """The run's exact parameters: each given value checked against its limits, defaults for the rest.

    Returns:
        ``{name: {"value": float, "unit": str}}`` for every declared parameter.

    Raises:
        InvalidInput: an unknown parameter, a value that is not finite, or one outside the method's limits;
            the field names the parameter.
    """
    by_name = {p["name"]: p for p in declared}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        known = ", ".join(sorted(by_name)) or "none"
        raise InvalidInput(f"parameters.{unknown[0]}", f"unknown parameter {unknown[0]!r}; this method takes {known}")
    resolved: dict[str, dict[str, Any]] = {}
    for name, spec in by_name.items():
        value = float(given.get(name, spec["default"]))
        unit = spec.get("unit", "")
        if not math.isfinite(value) or not spec["minimum"] <= value <= spec["maximum"]:
            limits = f"[{spec['minimum']:g}, {spec['maximum']:g}]"
            raise InvalidInput(
                f"parameters.{name}",
                f"{name} = {value:g} {unit} is outside the method's range {limits}".replace("  ", " "),
            )
        resolved[name] = {"value": value, "unit": unit}
    return resolved
