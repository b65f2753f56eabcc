"""A closed run file opened for analysis: columns whole, waveform records range by range, parameters as stored."""

from __future__ import annotations

from collections.abc import Callable

import h5py
import numpy as np
import pytest

from results.analysis.waveform import chunk_ranges
from results.hdf5 import InvalidRunDataError, RunData, RunFileWriter

pytestmark = pytest.mark.unit

NewWriter = Callable[..., RunFileWriter]


def test_columns_are_read_whole_in_their_units_and_parameters_as_stored(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.define_columns({"voltage": "V", "current": "A"})
    writer.append_rows({"voltage": np.linspace(0, 1, 50), "current": np.linspace(0, 1e-3, 50)})
    writer.close()

    with RunData.open(writer.path) as data:
        assert data.columns == {"voltage": "V", "current": "A"}
        np.testing.assert_array_equal(data.column("current"), np.linspace(0, 1e-3, 50))
        assert data.parameters["nplc"].value == 1.23456789012345
        assert data.numeric_parameters() == {"start_voltage": 0.0, "stop_voltage": 0.8, "nplc": 1.23456789012345,
                                             "points": 161.0}  # fmt: skip
        assert data.waveform_names == []
        with pytest.raises(InvalidRunDataError, match="no data column"):
            data.column("resistance")


def test_a_waveform_record_is_read_range_by_range_in_physical_units(new_writer: NewWriter) -> None:
    raw = np.arange(-30_000, 30_000, 3, dtype=np.int16)
    writer = new_writer()
    writer.append_waveform("step_1", raw[:7000], scale=2e-4, offset=0.5, t0=-1e-3, dt=1e-7, y_units="V")
    writer.append_waveform("step_1", raw[7000:], scale=2e-4, offset=0.5, t0=-1e-3, dt=1e-7, y_units="V")
    writer.close()

    with RunData.open(writer.path) as data:
        record = data.waveform("step_1")
        pieces = [record.read(a, b) for a, b in chunk_ranges(0, record.length, 4096)]

        assert (record.length, record.t0, record.dt, record.units) == (raw.size, -1e-3, 1e-7, "V")
        assert record.chunk_points == 1 << 19  # 1 MiB of int16 codes
        np.testing.assert_allclose(np.concatenate(pieces), raw * 2e-4 + 0.5, rtol=1e-15)
        np.testing.assert_array_equal(record.read_raw(19_990, 25_000), raw[19_990:])
        assert record.read(30_000, 30_010).size == 0
        with pytest.raises(InvalidRunDataError, match="no waveform"):
            data.waveform("step_2")


def test_the_file_is_opened_read_only(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.append_waveform("step_1", np.zeros(10, dtype=np.int16), scale=1.0, offset=0.0, t0=0.0, dt=1.0, y_units="V")
    writer.close()

    with RunData.open(writer.path) as data, pytest.raises((OSError, ValueError, KeyError)):
        data.waveform("step_1").codes[0] = 1


def test_a_record_written_before_records_were_nxdata_groups_still_reads(new_writer: NewWriter) -> None:
    writer = new_writer()
    writer.close()
    with h5py.File(writer.path, "r+") as file:
        codes = file["entry/waveforms"].create_dataset("ch1", data=np.array([1, 2, 3], dtype=np.int16))
        codes.attrs.update({"scale_factor": 0.5, "add_offset": 1.0, "t0": 0.0, "dt": 1e-3, "units": "V"})

    with RunData.open(writer.path) as data:
        record = data.waveform("ch1")
        np.testing.assert_array_equal(record.read(0, 3), [1.5, 2.0, 2.5])
        assert record.units == "V"
