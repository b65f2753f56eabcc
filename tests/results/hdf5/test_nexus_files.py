"""A run file of every demo method, as the station writes it on the simulated bench, is valid NeXus.

NeXus viewers (nexusformat, silx, HDFView) find a default plot in it, every name follows the NeXus rule, raw
ADC codes are counts scaled by CF attributes against a stored time axis, and every metric has its ``_errors``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import h5py
import numpy as np
import pytest
from nexusformat.nexus import nxload
from nexusformat.nexus.validate import validate_file
from sqlalchemy import Engine
from sqlmodel import Session

from instruments.sim import SimulatedBench, load_bench_spec
from labsys.db import Database
from labsys.runs.models import Run, RunStatus
from labsys.stations import Station
from labsys.stations.analyses import PROGRAMS
from labsys.stations.visa import VisaConnector
from results.hdf5 import open_run, preview
from results.hdf5.model import NEXUS_NAME
from tests.e2e.lab_on_bench import STATION, BenchLab
from tests.results.hdf5.factories import h5dump_header

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: Each demo method with parameters that keep its run short.
METHODS: dict[str, dict[str, float]] = {
    "DIODE-IV": {},
    "RES-4W-TCR": {"readings_per_step": 5, "temperature_steps": 3},
    "STEP-RISE": {"records": 2, "record_points": 20_000},
    "CAP-CD": {},
}


@pytest.fixture
def bench() -> Iterator[SimulatedBench]:
    with SimulatedBench(dataclasses.replace(load_bench_spec(), seed=1), base_port=0) as bench:
        yield bench


@pytest.fixture(params=list(METHODS))
def run_file(
    request: pytest.FixtureRequest, engine: Engine, session: Session, tmp_path: Path, bench: SimulatedBench
) -> Path:
    """The closed run file of one demo method, written by the station through a real VISA stack."""
    code = str(request.param)
    run_id = BenchLab.build(session, bench).queue(session, code, **METHODS[code])
    station = Station(
        name=STATION,
        db=Database(engine),
        data_dir=tmp_path,
        programs=PROGRAMS,
        connector=VisaConnector(timeout_ms=5000),
        progress_interval_s=0.2,
    )
    assert station.run_once() is not None
    run = session.get(Run, run_id, populate_existing=True)
    assert run is not None
    assert run.status == RunStatus.COMPLETED, run.failure_reason
    return tmp_path / str(run.hdf5_path)


def _names(file: h5py.File) -> list[str]:
    names: list[str] = []
    file.visit(lambda path: names.append(path.rsplit("/", 1)[-1]))
    return names


def _default_data(file: h5py.File) -> h5py.Group:
    """Follow the ``default`` chain from the root, as NeXus resolves it, to the group it ends at."""
    group: h5py.Group = file
    while "default" in group.attrs:
        group = group[group.attrs["default"]]
    return group


def test_every_object_in_a_run_file_has_a_valid_nexus_name(run_file: Path) -> None:
    with h5py.File(run_file, "r") as file:
        invalid = [name for name in _names(file) if not NEXUS_NAME.fullmatch(name)]

    assert invalid == []


def test_the_default_chain_ends_at_an_nxdata_group_whose_signal_and_axes_exist(run_file: Path) -> None:
    with h5py.File(run_file, "r") as file:
        assert file.attrs["default"] == "entry"
        data = _default_data(file)
        assert data.attrs["NX_class"] == "NXdata"
        signal, axis = data.attrs["signal"], data.attrs["axes"]
        assert data[signal].shape[0] > 0
        assert data[axis].shape == data[signal].shape
        waveforms = "waveforms" in file["entry"] and len(file["entry/waveforms"]) > 0
        expected = "/entry/waveforms/" if waveforms else "/entry/data"
        assert data.name.startswith(expected)


def test_waveform_records_are_raw_counts_scaled_by_cf_against_their_time(run_file: Path) -> None:
    info = open_run(run_file)
    with h5py.File(run_file, "r") as file:
        for wave in info.waveforms:
            record = file[f"entry/waveforms/{wave.name}"]
            raw, time = record["raw"], record["time"]
            assert record.attrs["NX_class"] == "NXdata"
            assert (record.attrs["signal"], record.attrs["axes"]) == ("raw", "time")
            assert np.issubdtype(raw.dtype, np.integer)
            assert raw.attrs["units"] == "1"
            assert raw.attrs["physical_units"] == "V"
            assert {"scale_factor", "add_offset", "long_name"} <= set(raw.attrs)
            assert time.attrs["units"] == "s"
            assert time.shape == raw.shape
            np.testing.assert_allclose(time[-3:], wave.t0 + wave.dt * np.arange(wave.length - 3, wave.length))
            assert preview(run_file, f"waveforms/{wave.name}").y_units == "V"


def test_every_metric_has_its_expanded_uncertainty_beside_it_as_errors(run_file: Path) -> None:
    info = open_run(run_file)
    assert info.metrics
    with h5py.File(run_file, "r") as file:
        analysis = file["entry/analysis"]
        for name, metric in info.metrics.items():
            errors = analysis[f"{name}_errors"]
            assert errors[()] == metric.expanded_uncertainty
            assert errors.attrs["units"] == metric.units


def test_instrument_groups_keep_the_labs_asset_tag(run_file: Path) -> None:
    info = open_run(run_file)
    with h5py.File(run_file, "r") as file:
        kept = {file[f"entry/instrument/{name}/asset_tag"].asstr()[()] for name in file["entry/instrument"]}

    assert kept == set(info.instruments)
    assert all("-" in tag for tag in kept)


def test_nexusformat_loads_the_file_and_finds_its_default_plot(run_file: Path) -> None:
    root = nxload(str(run_file))
    try:
        data = root.plottable_data
        assert data is not None
        assert data.nxsignal is not None
        assert data.nxaxes
    finally:
        root.nxfile.close()


def test_nexusformat_validates_the_file_against_the_base_classes_with_no_errors(run_file: Path) -> None:
    counts = validate_file(str(run_file))  # warnings name the lab's own fields; errors would break a reader

    assert counts is not None
    _, errors = counts
    assert errors == 0


def test_the_analysis_is_an_nxprocess_that_names_its_program_and_inputs(run_file: Path) -> None:
    info = open_run(run_file)
    root = nxload(str(run_file))
    try:
        analysis = root["entry/analysis"]
        assert analysis.nxclass == "NXprocess"
        assert str(analysis["program"]).startswith("labsys.stations.analyses.analyse_")
        assert analysis["parameters"].nxclass == "NXparameters"
    finally:
        root.nxfile.close()
    assert info.analysis_process is not None
    assert set(info.analysis_process.parameters) == set(info.parameters)
    assert info.analysis_process.constants


def test_stock_h5dump_reads_the_whole_header(run_file: Path) -> None:
    header = h5dump_header(run_file)

    assert 'GROUP "entry"' in header


def test_every_instrument_keeps_the_settings_the_run_gave_it_with_their_units(run_file: Path) -> None:
    with h5py.File(run_file, "r") as file:
        instruments = file["entry/instrument"]
        assert len(instruments) > 0
        for group in instruments.values():
            settings = group["settings"]
            assert settings.attrs["NX_class"] == "NXcollection"
            assert len(settings) > 0
            for name, field in settings.items():
                if name.endswith(("_v", "_a", "_hz", "_ohm")) and np.issubdtype(field.dtype, np.number):
                    assert "units" in field.attrs, name
        if "SCOPE_01" in instruments:
            scope = instruments["SCOPE_01/settings"]
            assert scope["input_impedance_ohm"][()] == 1e6
            assert scope["input_impedance_ohm"].attrs["units"] == "ohm"
            assert scope["coupling"][()].decode() == "DC"
        if "SMU_01" in instruments:
            assert bool(instruments["SMU_01/settings/remote_sense"][()]) is True
