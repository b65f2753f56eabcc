"""The station's VISA connector opens instruments through the lab's VISA library and each driver's own timeout."""

from __future__ import annotations

from pathlib import Path

import pytest

from instruments.errors import VisaBackendMissing
from labsys.db import Database
from labsys.settings import load_settings
from labsys.stations.connection import InstrumentRef
from labsys.stations.factory import build_station

pytestmark = pytest.mark.integration

_GPIB_SMU = InstrumentRef(
    asset_tag="SMU-09",
    kind="smu",
    manufacturer="KEITHLEY INSTRUMENTS",
    model="MODEL 2450",
    serial="04512345",
    firmware="",
    resource="GPIB0::22::INSTR",
    driver="keithley2450",
    calibration_due=None,
)


def test_the_station_opens_instruments_through_labsys_visa_library(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABSYS_VISA_LIBRARY", "/opt/vendor-visa/lib/libvisa.so")
    station = build_station(load_settings(data_dir=tmp_path), db)
    with (
        pytest.raises(VisaBackendMissing, match=r"'/opt/vendor-visa/lib/libvisa\.so' cannot open"),
        station.connector.open(_GPIB_SMU),
    ):
        pass


def test_the_default_visa_library_is_pyvisa_py_and_each_driver_keeps_its_timeout(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.visa_library == "@py"
    assert settings.instrument_timeout_ms is None
