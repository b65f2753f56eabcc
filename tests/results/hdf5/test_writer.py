"""The run-file writer: NeXus layout, exact values, block appends, committed counts, hashing, failures."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import h5py
import numpy as np
import pytest

from results.analysis.decision import assess
from results.analysis.model import DecisionRule, Metric, SpecLimits
from results.hdf5 import (
    InvalidRunDataError,
    RunFileError,
    RunFileWriteError,
    RunFileWriter,
    RunStatus,
    open_run,
    preview,
    read_unfinished,
    read_waveform,
    sha256_file,
)
from tests.resident import MIB, resident_growth
from tests.results.hdf5.factories import (
    h5dump_header,
    make_entry,
    make_instruments,
    make_parameters,
    make_sample,
)

pytestmark = pytest.mark.unit

NewWriter = Callable[..., RunFileWriter]


def test_a_closed_file_carries_the_nexus_entry_sample_and_instruments(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.close(RunStatus.COMPLETED, end_time=datetime(2025, 3, 4, 6, 0, tzinfo=UTC))

    with h5py.File(writer.path, "r") as file:
        entry = file["entry"]
        assert file.attrs["default"] == "entry"
        assert entry.attrs["NX_class"] == "NXentry"
        assert entry["run_id"].asstr()[()] == "RUN-0001"
        assert entry["booking_ref"].asstr()[()] == "BK-2025-0042"
        assert entry["method_code"].asstr()[()] == "DIODE-IV"
        assert entry["method_version"].asstr()[()] == "1.2"
        assert entry["start_time"].asstr()[()] == "2025-03-04T05:06:07.123456+00:00"
        assert entry["end_time"].asstr()[()] == "2025-03-04T06:00:00+00:00"
        assert entry["status"].asstr()[()] == "completed"
        assert entry["operator"].asstr()[()] == "engineer@lab.example"
        assert entry["software_version"].asstr()[()] == "0.1.0"
        assert entry["sample"].attrs["NX_class"] == "NXsample"
        assert entry["sample/name"].asstr()[()] == "S-17"
        assert entry["sample/condition"].asstr()[()] == "sealed, undamaged"
        smu = entry["instrument/SMU_01"]
        assert smu["asset_tag"].asstr()[()] == "SMU-01"
        assert smu["serial_number"].asstr()[()] == "4096123"
        assert smu["firmware"].asstr()[()] == "C32"
        assert smu["calibration_due"].asstr()[()] == "2026-01-31"
        assert smu["calibration_date"].asstr()[()] == "2025-01-31"
        assert smu["calibration_certificate"].asstr()[()] == "KOLAS-CAL-2025-0131"
        assert smu["visa_resource"].asstr()[()] == "TCPIP0::10.0.0.21::5025::SOCKET"
        assert set(entry["instrument"]) == {"SMU_01", "SCOPE_03"}


def test_parameters_keep_every_bit_and_their_units(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.close()

    with h5py.File(writer.path, "r") as file:
        parameters = file["entry/parameters"]
        assert parameters["nplc"][()] == 1.23456789012345
        assert parameters["nplc"].attrs["units"] == "1"
        assert parameters["stop_voltage"][()] == 0.8
        assert parameters["stop_voltage"].attrs["units"] == "V"
        assert parameters["points"][()] == 161
        assert bool(parameters["four_wire"][()]) is True
        assert parameters["note"].asstr()[()] == "forward sweep"


def test_columns_are_nxdata_with_units_signal_and_axis_in_defined_order(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A", "temperature": "degC"}, signal="current")
    writer.append_rows({"voltage": [0.1, 0.2], "current": [1e-9, 2e-9], "temperature": [23.0, 23.1]})
    writer.close()

    with h5py.File(writer.path, "r") as file:
        data = file["entry/data"]
        assert data.attrs["NX_class"] == "NXdata"
        assert data.attrs["signal"] == "current"
        assert data.attrs["axes"] == "voltage"
        assert list(data) == ["voltage", "current", "temperature"]
        assert data["current"].attrs["units"] == "A"
        assert data["voltage"].maxshape == (None,)
        assert data["voltage"].chunks is not None
        np.testing.assert_array_equal(data["current"][()], [1e-9, 2e-9])


def test_rows_are_buffered_until_a_block_is_full_then_committed(new_writer: NewWriter) -> None:
    writer = new_writer(max_block_age_s=3600.0)
    writer.define_columns({"voltage": "V", "current": "A"})

    assert writer.append_rows(np.zeros((100, 2))) == 0
    committed = writer.append_rows(np.ones((10_000, 2)))

    assert committed == 10_100
    assert writer.committed == {"data/voltage": 10_100, "data/current": 10_100}


def test_a_slow_sweep_commits_once_its_buffer_is_older_than_the_age_limit(new_writer: NewWriter) -> None:
    writer = new_writer(max_block_age_s=0.05)
    writer.define_columns({"voltage": "V", "current": "A"})

    assert writer.append_rows({"voltage": [0.0], "current": [0.0]}) == 0
    time.sleep(0.06)

    assert writer.append_rows({"voltage": [0.1], "current": [1e-6]}) == 2


def test_with_no_age_limit_every_block_handed_over_is_committed_at_once(new_writer: NewWriter) -> None:
    writer = new_writer(max_block_age_s=0.0)
    writer.define_columns({"voltage": "V", "current": "A"})

    assert writer.append_rows({"voltage": [0.0, 0.1], "current": [0.0, 1e-6]}) == 2
    assert (
        writer.append_waveform(
            "ch1", np.arange(5, dtype=np.int16), scale=1e-3, offset=0.0, t0=0.0, dt=1e-6, y_units="V"
        )
        == 5
    )


def test_the_file_says_when_its_last_block_was_written_and_what_it_holds(new_writer: NewWriter) -> None:
    writer = new_writer(max_block_age_s=0.0)
    writer.define_columns({"voltage": "V", "current": "A"})
    before = datetime.now(UTC)
    writer.append_rows(np.ones((7, 2)))
    written = datetime.now(UTC)
    time.sleep(0.01)
    writer.finish_data()  # nothing new to commit: the time stays that of the last block

    left = read_unfinished(writer.path)

    assert left.last_block_time is not None
    assert before <= left.last_block_time <= written
    assert (left.points, left.rows, left.status) == ({"data/voltage": 7, "data/current": 7}, 7, "running")
    assert left.sha256 == sha256_file(writer.path)


def test_a_two_dimensional_block_fills_the_columns_in_defined_order(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows(np.array([[0.5, 1e-3], [0.6, 2e-3]]))
    writer.close()

    with h5py.File(writer.path, "r") as file:
        np.testing.assert_array_equal(file["entry/data/voltage"][()], [0.5, 0.6])
        np.testing.assert_array_equal(file["entry/data/current"][()], [1e-3, 2e-3])


def test_a_waveform_record_is_nxdata_of_raw_integers_with_cf_scaling_against_a_time_axis(
    new_writer: NewWriter,
) -> None:
    writer = new_writer()
    raw = np.arange(-300, 300, dtype=np.int16)
    writer.append_waveform("ch1", raw[:250], scale=0.002, offset=-0.1, t0=-1e-3, dt=2e-9, y_units="V")
    writer.append_waveform("ch1", raw[250:], scale=0.002, offset=-0.1, t0=-1e-3, dt=2e-9, y_units="V")
    writer.close()

    with h5py.File(writer.path, "r") as file:
        record = file["entry/waveforms/ch1"]
        assert dict(record.attrs) == {
            "NX_class": "NXdata",
            "signal": "raw",
            "axes": "time",
            "time_indices": 0,
            "title": "ch1",
        }
        wave = record["raw"]
        assert wave.dtype == np.int16
        np.testing.assert_array_equal(wave[()], raw)
        assert wave.chunks == (512 * 1024,)
        assert wave.compression is None
        assert wave.attrs["scale_factor"] == 0.002
        assert wave.attrs["add_offset"] == -0.1
        assert wave.attrs["scaling_convention"] == "CF: physical = raw * scale_factor + add_offset, in physical_units"
        assert (wave.attrs["units"], wave.attrs["physical_units"]) == ("1", "V")
        assert "raw ADC code" in wave.attrs["long_name"]
        assert (wave.attrs["t0"], wave.attrs["dt"], wave.attrs["time_units"]) == (-1e-3, 2e-9, "s")
        time = record["time"]
        assert time.attrs["units"] == "s"
        assert time.dtype == np.float32  # a plotting axis; exact times are t0 + i * dt
        assert time.compression is None
        np.testing.assert_allclose(time[()], -1e-3 + 2e-9 * np.arange(raw.size), rtol=0, atol=2e-9 / 4)
        assert np.all(np.diff(time[()]) > 0)  # successive samples keep distinct times


def test_each_waveform_append_returns_the_points_committed(new_writer: NewWriter) -> None:
    writer = new_writer(max_block_age_s=3600.0)
    scaling = {"scale": 1e-3, "offset": 0.0, "t0": 0.0, "dt": 1e-6, "y_units": "V"}
    block = np.zeros(600_000, dtype=np.int16)

    assert writer.append_waveform("ch1", block[:1000], **scaling) == 0
    assert writer.append_waveform("ch1", block, **scaling) == 601_000
    assert writer.append_waveform("ch1", block, **scaling) == 1_201_000


def _write_records(writer: RunFileWriter, records: int, points: int = 2_000_000) -> None:
    """Append ``records`` records of ``points`` int16 codes, each in 1 MiB blocks as the scope driver hands them."""
    block = np.arange(1 << 19, dtype=np.int16)
    for n in range(records):
        for _ in range(points // block.size):
            writer.append_waveform(f"step_{n + 1}", block, scale=1e-4, offset=0.0, t0=0.0, dt=1e-9, y_units="V")
    writer.close()


def test_writing_twelve_records_holds_no_more_resident_memory_than_writing_one(new_writer: NewWriter) -> None:
    # What HDF5 holds (a chunk cache per record written) is outside tracemalloc's view: Linux's count of it is.
    _write_records(new_writer("warm.h5"), 1)
    with resident_growth() as one:
        _write_records(new_writer("one.h5"), 1)
    with resident_growth() as twelve:
        _write_records(new_writer("twelve.h5"), 12)

    assert twelve.peak < one.peak + 16 * MIB  # twelve 4 MB records and their time axes: none of them kept


def test_a_waveform_refuses_a_changed_scaling_or_non_integer_samples(new_writer: NewWriter) -> None:
    writer = new_writer()
    samples = np.zeros(10, dtype=np.int16)
    writer.append_waveform("ch1", samples, scale=1e-3, offset=0.0, t0=0.0, dt=1e-6, y_units="V")

    with pytest.raises(InvalidRunDataError, match="must not change"):
        writer.append_waveform("ch1", samples, scale=2e-3, offset=0.0, t0=0.0, dt=1e-6, y_units="V")
    with pytest.raises(InvalidRunDataError, match="integer"):
        writer.append_waveform("ch2", np.zeros(10), scale=1e-3, offset=0.0, t0=0.0, dt=1e-6, y_units="V")


def test_rows_that_do_not_match_the_columns_are_refused(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})

    with pytest.raises(InvalidRunDataError, match="exactly the columns"):
        writer.append_rows({"voltage": [1.0]})
    with pytest.raises(InvalidRunDataError, match="same number"):
        writer.append_rows({"voltage": [1.0, 2.0], "current": [1.0]})
    with pytest.raises(InvalidRunDataError, match="shape"):
        writer.append_rows(np.zeros((3, 3)))


def test_analysis_is_written_with_uncertainty_units_and_verdicts(new_writer: NewWriter) -> None:
    writer = new_writer()
    metrics = {
        "ideality_factor": Metric("ideality_factor", 1.85, 0.04, 2.0, "1"),
        "series_resistance": Metric("series_resistance", 0.62, 0.05, 2.0, "ohm"),
    }
    assessment = assess(metrics, {"ideality_factor": SpecLimits(1.0, 2.0, "1")}, DecisionRule.GUARD_BAND)
    writer.write_analysis(metrics.values(), assessment)
    writer.close()

    with h5py.File(writer.path, "r") as file:
        analysis = file["entry/analysis"]
        assert analysis.attrs["verdict"] == "pass"
        assert analysis.attrs["decision_rule"] == "guard_band"
        ideality = analysis["ideality_factor"]
        assert ideality[()] == 1.85
        assert ideality.attrs["expanded_uncertainty"] == 0.04
        assert ideality.attrs["coverage_factor"] == 2.0
        assert ideality.attrs["verdict"] == "pass"
        assert (ideality.attrs["lower_limit"], ideality.attrs["upper_limit"]) == (1.0, 2.0)
        assert analysis["series_resistance"].attrs["units"] == "ohm"
        errors = analysis["series_resistance_errors"]
        assert (errors[()], errors.attrs["units"]) == (0.05, "ohm")


@dataclass(frozen=True)
class _PlainMetric:
    name: str
    value: float
    expanded_uncertainty: float
    coverage_factor: float
    units: str


@dataclass(frozen=True)
class _PlainLimits:
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class _PlainAssessment:
    verdict: str
    rule: str
    metric_verdicts: dict[str, str]
    limits: dict[str, _PlainLimits]


def test_an_analysis_given_as_plain_values_is_written_like_an_assessed_one(new_writer: NewWriter) -> None:
    writer = new_writer()
    metric = _PlainMetric("leakage_current", 2.5e-9, 1e-10, 2.0, "A")
    assessment = _PlainAssessment(
        "fail", "simple", {"leakage_current": "fail"}, {"leakage_current": _PlainLimits(None, 1e-9)}
    )
    writer.write_analysis([metric], assessment)
    writer.close()

    with h5py.File(writer.path, "r") as file:
        analysis = file["entry/analysis"]
        assert (analysis.attrs["verdict"], analysis.attrs["decision_rule"]) == ("fail", "simple")
        leakage = analysis["leakage_current"]
        assert (leakage[()], leakage.attrs["units"], leakage.attrs["verdict"]) == (2.5e-9, "A", "fail")
        assert leakage.attrs["upper_limit"] == 1e-9
        assert "lower_limit" not in leakage.attrs


def test_close_returns_the_sha256_of_the_closed_file(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows(np.random.default_rng(1).normal(size=(5000, 2)))

    digest = writer.close()

    assert digest == sha256_file(writer.path)
    assert len(digest) == 64


def test_every_file_written_opens_in_stock_h5dump_without_plugins(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows(np.ones((10, 2)))
    writer.append_waveform("ch1", np.arange(5000, dtype=np.int16), scale=1.0, offset=0.0, t0=0.0, dt=1.0, y_units="V")
    writer.close()

    header = h5dump_header(writer.path)

    assert 'GROUP "ch1"' in header
    assert 'DATASET "raw"' in header
    assert 'GROUP "SMU_01"' in header


def test_the_optional_gzip_flag_uses_only_the_stock_deflate_filter(new_writer: NewWriter) -> None:
    writer = new_writer(gzip=True)
    raw = np.tile(np.arange(100, dtype=np.int16), 1000)
    writer.append_waveform("ch1", raw, scale=1.0, offset=0.0, t0=0.0, dt=1.0, y_units="V")
    writer.close()

    with h5py.File(writer.path, "r") as file:
        assert file["entry/waveforms/ch1/raw"].compression == "gzip"
        np.testing.assert_array_equal(file["entry/waveforms/ch1/raw"][()], raw)
    assert "DEFLATE" in h5dump_header(writer.path, "-p")


def test_an_existing_run_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "run.h5"
    target.write_bytes(b"earlier run")

    with pytest.raises(FileExistsError):
        RunFileWriter.create(target, make_entry(), make_sample(), make_instruments(), make_parameters())
    assert target.read_bytes() == b"earlier run"


def test_a_failed_block_write_raises_and_the_file_keeps_the_flushed_blocks(
    new_writer: NewWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = new_writer(max_block_age_s=3600.0)
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows(np.full((8192, 2), 1.0))
    stream = writer._blocks.columns["current"]

    def disk_full(block: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(stream, "write", disk_full)
    with pytest.raises(RunFileWriteError, match="No space left") as failure:
        writer.append_rows(np.full((8192, 2), 2.0))

    assert failure.value.committed == {"data/voltage": 8192, "data/current": 8192}
    with pytest.raises(RunFileError, match="failed earlier"):
        writer.append_rows(np.ones((1, 2)))
    digest = writer.close(RunStatus.FAILED)
    with h5py.File(writer.path, "r") as file:
        assert file["entry/status"].asstr()[()] == "failed"
        np.testing.assert_array_equal(file["entry/data/current"][:8192], 1.0)
    assert digest == sha256_file(writer.path)


def test_leaving_the_context_on_an_exception_closes_the_run_as_failed(new_writer: NewWriter) -> None:
    writer = new_writer()

    with pytest.raises(RuntimeError, match="instrument lost"), writer:
        raise RuntimeError("instrument lost")

    with h5py.File(writer.path, "r") as file:
        assert file["entry/status"].asstr()[()] == "failed"


def test_a_closed_writer_refuses_further_writes_and_a_second_close(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.close()

    with pytest.raises(RunFileError, match="already closed"):
        writer.define_columns({"voltage": "V"})
    with pytest.raises(RunFileError, match="already closed"):
        writer.close()


def test_a_run_is_not_closed_as_running_nor_with_a_local_end_time(new_writer: NewWriter) -> None:
    writer = new_writer()

    with pytest.raises(InvalidRunDataError, match="final status"):
        writer.close(RunStatus.RUNNING)
    with pytest.raises(InvalidRunDataError, match="UTC"):
        writer.close(end_time=datetime(2025, 1, 1))  # noqa: DTZ001 - the naive time under test


def test_two_asset_tags_that_give_one_nexus_name_are_refused(tmp_path: Path) -> None:
    smu = make_instruments()[0]
    twin = dataclasses.replace(smu, asset_tag="SMU_01")

    with pytest.raises(InvalidRunDataError, match="listed twice"):
        RunFileWriter.create(tmp_path / "run.h5", make_entry(), make_sample(), [smu, twin], make_parameters())


def test_a_column_name_nexus_forbids_is_refused(new_writer: NewWriter) -> None:
    writer = new_writer()

    with pytest.raises(InvalidRunDataError, match="NeXus"):
        writer.define_columns({"voltage (V)": "V", "current": "A"})


def test_the_entry_names_no_default_plot_until_there_is_data(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.close()

    with h5py.File(writer.path, "r") as file:
        assert "default" not in file["entry"].attrs


def test_a_file_written_before_records_were_nxdata_still_reads_and_previews(new_writer: NewWriter) -> None:
    writer = new_writer()
    raw = np.arange(-3000, 3000, dtype=np.int16)
    writer.append_waveform("ch1", raw, scale=0.002, offset=-0.1, t0=-1e-3, dt=2e-9, y_units="V")
    writer.close()
    before_t, before_y = read_waveform(writer.path, "ch1")
    before_preview = preview(writer.path, "waveforms/ch1", 200)
    with h5py.File(writer.path, "r+") as file:  # the layout of earlier files: the codes are the record
        file.move("entry/waveforms/ch1/raw", "entry/waveforms/ch1_codes")
        del file["entry/waveforms/ch1"]
        file.move("entry/waveforms/ch1_codes", "entry/waveforms/ch1")
        codes = file["entry/waveforms/ch1"]
        codes.attrs["units"] = "V"
        del codes.attrs["physical_units"]

    t, y = read_waveform(writer.path, "ch1")
    again = preview(writer.path, "waveforms/ch1", 200)

    np.testing.assert_array_equal(t, before_t)
    np.testing.assert_array_equal(y, before_y)
    np.testing.assert_array_equal(again.y_max, before_preview.y_max)
    assert again.y_units == "V"
    assert open_run(writer.path).waveforms[0].units == "V"
