"""The bench description: instruments (asset tag, model, serial, port) and fixtures with their DUTs.

The demo bench ships as ``instruments/sim/demo_bench.yaml`` (package data). ``time_scale`` (default 1.0) is how
many wall seconds a second of the instruments' time takes (see :mod:`instruments.sim.clock`). A wrong file is refused
when it is loaded, with the offending entry named, not when an instrument is first used.
"""

from __future__ import annotations

import importlib.resources
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from instruments.sim.duts import Capacitor, DeviceUnderTest, Diode, RCNetwork, Resistor

__all__ = ["BenchConfigError", "BenchSpec", "FixtureSpec", "InstrumentSpec", "load_bench_spec"]

_DUT_KINDS: dict[str, type[Diode] | type[Resistor] | type[RCNetwork] | type[Capacitor]] = {
    "diode": Diode,
    "resistor": Resistor,
    "rc_network": RCNetwork,
    "capacitor": Capacitor,
}


class BenchConfigError(ValueError):
    """The bench description is not valid."""


@dataclass(frozen=True, slots=True)
class InstrumentSpec:
    """One simulated instrument as the lab registers it.

    Attributes:
        asset_tag: The lab's label on the instrument, unique on the bench.
        driver: The driver name, e.g. ``keithley2450``; also picks the simulation.
        manufacturer, model, serial, firmware: What it answers to ``*IDN?``.
        port: TCP port on the bench host (0: chosen by the OS).
        options: Simulation settings of the model, e.g. a chamber's ``time_constant_s``.
    """

    asset_tag: str
    driver: str
    manufacturer: str
    model: str
    serial: str
    firmware: str
    port: int
    options: dict[str, float] = field(default_factory=dict)

    @property
    def idn(self) -> str:
        """Get the ``*IDN?`` reply."""
        return f"{self.manufacturer},{self.model},{self.serial},{self.firmware}"


@dataclass(frozen=True, slots=True)
class FixtureSpec:
    """A test fixture: the DUT mounted on it and the instruments cabled to it."""

    name: str
    instruments: tuple[str, ...]
    dut: DeviceUnderTest | None


@dataclass(frozen=True, slots=True)
class BenchSpec:
    """The whole simulated bench.

    Attributes:
        time_scale: Wall seconds per second of the instruments' time (1.0: as long as on the hardware; see
            :mod:`instruments.sim.clock`).
    """

    seed: int
    ambient_temperature_c: float
    instruments: tuple[InstrumentSpec, ...]
    fixtures: tuple[FixtureSpec, ...]
    time_scale: float = 1.0


def load_bench_spec(path: Path | None = None) -> BenchSpec:
    """Load a bench description; ``None`` loads the demo bench shipped with the package.

    Raises:
        BenchConfigError: The file is not a valid bench description.
    """
    if path is None:
        text = importlib.resources.files("instruments.sim").joinpath("demo_bench.yaml").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    if not isinstance(document, dict):
        raise BenchConfigError("a bench description is a mapping with 'instruments' and 'fixtures'")
    instruments = tuple(_instrument(entry) for entry in document.get("instruments", []))
    tags = [spec.asset_tag for spec in instruments]
    if len(set(tags)) != len(tags):
        raise BenchConfigError(f"asset tags repeat: {sorted(tags)}")
    fixtures = tuple(_fixture(entry, set(tags)) for entry in document.get("fixtures", []))
    return BenchSpec(
        seed=int(document.get("seed", 0)),
        ambient_temperature_c=float(document.get("ambient_temperature_c", 23.0)),
        instruments=instruments,
        fixtures=fixtures,
        time_scale=_time_scale(document.get("time_scale", 1.0)),
    )


def _time_scale(value: object) -> float:
    try:
        scale = float(value)  # type: ignore[arg-type]  # checked: anything float() refuses is refused below
    except (TypeError, ValueError):
        scale = math.nan
    if not math.isfinite(scale) or scale <= 0:
        raise BenchConfigError(f"time_scale must be a number above 0 (1.0: real time), not {value!r}")
    return scale


def _instrument(entry: dict[str, Any]) -> InstrumentSpec:
    try:
        return InstrumentSpec(
            asset_tag=str(entry["asset_tag"]),
            driver=str(entry["driver"]),
            manufacturer=str(entry["manufacturer"]),
            model=str(entry["model"]),
            serial=str(entry["serial"]),
            firmware=str(entry["firmware"]),
            port=int(entry.get("port", 0)),
            options={str(k): float(v) for k, v in (entry.get("options") or {}).items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BenchConfigError(f"instrument {entry!r}: {exc}") from exc


def _fixture(entry: dict[str, Any], asset_tags: set[str]) -> FixtureSpec:
    name = str(entry.get("name", ""))
    cabled = tuple(str(tag) for tag in entry.get("instruments", []))
    unknown = [tag for tag in cabled if tag not in asset_tags]
    if not name or unknown:
        raise BenchConfigError(f"fixture {name!r}: needs a name and known instruments, unknown {unknown}")
    dut_entry = dict(entry.get("dut") or {})
    if not dut_entry:
        return FixtureSpec(name, cabled, None)
    kind = dut_entry.pop("kind", None)
    if kind not in _DUT_KINDS:
        raise BenchConfigError(f"fixture {name!r}: DUT kind {kind!r} is not one of {sorted(_DUT_KINDS)}")
    try:
        dut = _DUT_KINDS[kind](**dut_entry)
    except TypeError as exc:
        raise BenchConfigError(f"fixture {name!r}: {exc}") from exc
    return FixtureSpec(name, cabled, dut)
