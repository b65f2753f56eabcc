"""Factories for run files: the metadata a station hands to the writer."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from results.hdf5 import InstrumentInfo, Quantity, RunEntry, SampleInfo


def make_entry(run_id: str = "RUN-0001") -> RunEntry:
    return RunEntry(
        run_id=run_id,
        booking_ref="BK-2025-0042",
        method_code="DIODE-IV",
        method_version="1.2",
        start_time=datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC),
        operator="engineer@lab.example",
        software_version="0.1.0",
    )


def make_sample() -> SampleInfo:
    return SampleInfo(label="S-17", description="1N4148 small-signal diode", condition="sealed, undamaged")


def make_instruments() -> list[InstrumentInfo]:
    return [
        InstrumentInfo(
            asset_tag="SMU-01",
            kind="smu",
            manufacturer="KEITHLEY INSTRUMENTS INC.",
            model="MODEL 2400",
            serial="4096123",
            firmware="C32",
            calibration_due=date(2026, 1, 31),
            visa_resource="TCPIP0::10.0.0.21::5025::SOCKET",
            calibrated_on=date(2025, 1, 31),
            calibration_certificate="KOLAS-CAL-2025-0131",
        ),
        InstrumentInfo(
            asset_tag="SCOPE-03",
            kind="scope",
            manufacturer="KEYSIGHT",
            model="DSOX1102G",
            serial="CN5999",
            firmware="02.12",
            calibration_due=date(2025, 12, 1),
            visa_resource="TCPIP0::10.0.0.33::INSTR",
        ),
    ]


def make_parameters() -> dict[str, Quantity]:
    return {
        "start_voltage": Quantity(0.0, "V"),
        "stop_voltage": Quantity(0.8, "V"),
        "nplc": Quantity(1.23456789012345, "1"),
        "points": Quantity(161, "1"),
        "four_wire": Quantity(True, ""),
        "note": Quantity("forward sweep", ""),
    }


def h5dump_header(path: Path, *options: str) -> str:
    """Run stock ``h5dump -H`` (no plugin path) and return its output; skip if h5dump is missing."""
    executable = shutil.which("h5dump")
    if executable is None:
        pytest.skip("h5dump (hdf5-tools) is not installed")
    result = subprocess.run(
        [executable, *options, "-H", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
