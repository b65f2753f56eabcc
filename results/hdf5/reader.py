"""Read a run file: its metadata, columns, waveforms and analysis, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np
import numpy.typing as npt

from results.analysis.model import Metric
from results.hdf5 import layout
from results.hdf5.integrity import iter_file_chunks
from results.hdf5.model import AnalysisProcess, InvalidRunDataError, Quantity
from results.hdf5.process import read_analysis

__all__ = ["ColumnInfo", "RunFileInfo", "WaveformInfo", "iter_file_chunks", "open_run", "read_column", "read_waveform"]


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """A data column: ``name``, ``units`` and ``length`` (rows in the file)."""

    name: str
    units: str
    length: int


@dataclass(frozen=True, slots=True)
class WaveformInfo:
    """A raw waveform and how to turn it into physical values and times.

    ``physical = raw * scale_factor + add_offset`` in ``units``; sample ``i`` is at ``t0 + i * dt``
    in ``time_units``.
    """

    name: str
    length: int
    raw_dtype: str
    scale_factor: float
    add_offset: float
    units: str
    t0: float
    dt: float
    time_units: str


@dataclass(frozen=True, slots=True)
class RunFileInfo:
    """Everything in a run file except the bulk data.

    Attributes:
        entry: ``/entry`` text fields (run_id, booking_ref, method_code, start_time, status, end_time, ...).
        sample: ``/entry/sample`` fields (name, description, condition).
        instruments: Fields per asset tag (the tag as the lab writes it, e.g. ``SMU-01``).
        parameters: Exact parameter values with units.
        columns: Data columns in file order.
        axis: The NXdata axis column, if columns exist.
        signal: The NXdata signal column, if columns exist.
        waveforms: Waveforms in file order.
        metrics: Analysis metrics by name.
        verdict: The combined verdict, if the run was assessed.
        decision_rule: The decision rule used, if assessed.
        metric_verdicts: Verdict per judged metric.
        analysis_process: The program, version, date and inputs of the analysis (``None`` in files written
            before analyses recorded them, or without an analysis).
    """

    entry: dict[str, str]
    sample: dict[str, str]
    instruments: dict[str, dict[str, str]]
    parameters: dict[str, Quantity]
    columns: list[ColumnInfo]
    axis: str | None
    signal: str | None
    waveforms: list[WaveformInfo]
    metrics: dict[str, Metric] = field(default_factory=dict)
    verdict: str | None = None
    decision_rule: str | None = None
    metric_verdicts: dict[str, str] = field(default_factory=dict)
    analysis_process: AnalysisProcess | None = None

    @property
    def status(self) -> str:
        """Run status; ``running`` means the writer never closed the file (the run was interrupted)."""
        return self.entry["status"]


_text = layout.text_of


def _texts(group: h5py.Group) -> dict[str, str]:
    return {key: _text(item[()]) for key, item in group.items() if isinstance(item, h5py.Dataset) and item.ndim == 0}


def _waveform_info(name: str, record: h5py.Group | h5py.Dataset) -> WaveformInfo:
    dataset = layout.waveform_codes(record)
    attrs = dataset.attrs
    return WaveformInfo(
        name=name,
        length=int(dataset.shape[0]),
        raw_dtype=str(dataset.dtype),
        scale_factor=float(attrs["scale_factor"]),
        add_offset=float(attrs["add_offset"]),
        units=layout.waveform_units(dataset),
        t0=float(attrs["t0"]),
        dt=float(attrs["dt"]),
        time_units=_text(attrs["time_units"]),
    )


def _instruments(parent: h5py.Group) -> dict[str, dict[str, str]]:
    """Fields per instrument, keyed by the asset tag as the lab writes it (``SMU-01``, not the group name)."""
    found = {}
    for name, group in parent.items():
        fields = _texts(group)
        found[fields.get("asset_tag", name)] = fields
    return found


def open_run(path: str | Path) -> RunFileInfo:
    """Read the metadata of a run file (closed, or left behind by a killed writer).

    Raises:
        OSError: If the file is not HDF5 or cannot be opened (e.g. still open for writing).
        KeyError: If the file has no ``/entry``.
    """
    with h5py.File(path, "r") as file:
        entry = file[layout.ENTRY]
        data = entry.get("data")
        columns = (
            []
            if data is None
            else [ColumnInfo(name, _text(ds.attrs.get("units", "")), int(ds.shape[0])) for name, ds in data.items()]
        )
        waveforms = [_waveform_info(name, ds) for name, ds in entry.get("waveforms", {}).items()]
        analysis = read_analysis(entry)
        return RunFileInfo(
            entry=_texts(entry),
            sample=_texts(entry["sample"]),
            instruments=_instruments(entry["instrument"]),
            parameters={name: layout.read_quantity(ds) for name, ds in entry["parameters"].items()},
            columns=columns,
            axis=None if data is None else _text(data.attrs["axes"]),
            signal=None if data is None else _text(data.attrs["signal"]),
            waveforms=waveforms,
            metrics=analysis.metrics,
            verdict=analysis.verdict,
            decision_rule=analysis.decision_rule,
            metric_verdicts=analysis.verdicts,
            analysis_process=analysis.process,
        )


def read_column(path: str | Path, name: str) -> npt.NDArray[np.float64]:
    """Read a whole data column (float64, in its units).

    Raises:
        InvalidRunDataError: If the file has no such column.
    """
    with h5py.File(path, "r") as file:
        key = f"{layout.DATA}/{name}"
        if key not in file:
            raise InvalidRunDataError(f"no data column {name!r}")
        return np.asarray(file[key][()], dtype=np.float64)


def read_waveform(
    path: str | Path, name: str, start: int = 0, stop: int | None = None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Read samples ``[start, stop)`` of a waveform as physical values with their times.

    Returns:
        ``(t, y)``: times in the waveform's ``time_units``, values in its ``units`` (float64).

    Raises:
        InvalidRunDataError: If the file has no such waveform.
    """
    with h5py.File(path, "r") as file:
        key = f"{layout.WAVEFORMS}/{name}"
        if key not in file:
            raise InvalidRunDataError(f"no waveform {name!r}")
        info = _waveform_info(name, file[key])
        end = info.length if stop is None else min(stop, info.length)
        raw = layout.waveform_codes(file[key])[start:end]
    y = raw.astype(np.float64) * info.scale_factor + info.add_offset
    t = info.t0 + info.dt * np.arange(start, start + y.size, dtype=np.float64)
    return t, y
