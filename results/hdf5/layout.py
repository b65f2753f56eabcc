"""Where things live in a run file and how the metadata groups are written (NeXus base classes).

Layout (every group carries ``NX_class``; every physical value a ``units`` attribute; every name matches the
NeXus rule ``^[a-zA-Z0-9_]([a-zA-Z0-9_.]*[a-zA-Z0-9_])?$``)::

    /                         attrs: default="entry", creator, creator_version, file_time, scaling_convention
    /entry                    NXentry: title, run_id, booking_ref, method_code, method_version, start_time,
                              end_time (on close), status, operator, program_name (attr version),
                              software_version; attr default only once there is something to plot: "data"
                              for a data table, else "waveforms" (whose own default names the first record);
                              attr last_block_time (UTC, ISO 8601) rewritten with every block committed, so a file
                              whose writer was killed says when its last block was written
    /entry/sample             NXsample: name (the label), description, condition
    /entry/instrument         NXinstrument
    /entry/instrument/<name>  NXcollection named from the asset tag (``SMU-01`` → ``SMU_01``): asset_tag
                              (verbatim), kind, manufacturer, model, serial_number, firmware,
                              calibration_due (ISO date), visa_resource
    /entry/parameters         NXparameters: one scalar dataset per parameter, attr units
    /entry/data               NXdata: one float64 resizable 1-D dataset per column, attr units;
                              attrs signal, axes, <axis>_indices=0
    /entry/waveforms          NXcollection of records in acquisition order; attr default = the first record
    /entry/waveforms/<name>   NXdata: attrs signal="raw", axes="time", time_indices=0
      raw                     the ADC integers as delivered (resizable, ~1 MiB chunks); attrs long_name,
                              units="1" (a code is a count), scale_factor, add_offset, physical_units,
                              scaling_convention, t0, dt, time_units, preview
      time                    float64 time of each sample, t0 + i * dt, attr units; written block by block
                              with the samples (shuffle + gzip 1: a ramp compresses ~20x)
    /entry/preview/<name>     NXcollection: minmax_<b> (N x 2, raw dtype): min and max of each block of b
                              raw samples (b = 1024 and 65536), for fast decimated previews
    /entry/analysis           NXprocess, written once the data is closed: program, version, date,
                              parameters and constants (NXparameters: every input the analysis used), attrs
                              verdict, decision_rule; one scalar float64 dataset per metric (see
                              :mod:`results.hdf5.process`), its <metric>_errors and, if it has one, its
                              <metric>_budget. Files written before hold an NXcollection of metrics only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import h5py
import numpy as np

from results.hdf5.model import (
    InstrumentInfo,
    InvalidRunDataError,
    Quantity,
    RunEntry,
    SampleInfo,
    check_hdf5_name,
    nexus_name,
)

__all__ = [
    "ANALYSIS",
    "DATA",
    "ENTRY",
    "ERRORS_SUFFIX",
    "INSTRUMENT",
    "LAST_BLOCK_TIME",
    "PARAMETERS",
    "PREVIEW",
    "PYRAMID_BLOCKS",
    "SAMPLE",
    "SCALING_CONVENTION",
    "WAVEFORMS",
    "WAVEFORM_RAW",
    "WAVEFORM_TIME",
    "iso_utc",
    "mark_block_time",
    "nx_group",
    "pyramid_name",
    "read_block_time",
    "read_quantity",
    "set_default_plot",
    "text_of",
    "waveform_codes",
    "waveform_units",
    "write_entry",
    "write_instruments",
    "write_parameters",
    "write_quantities",
    "write_sample",
]

ENTRY = "entry"
SAMPLE = "entry/sample"
INSTRUMENT = "entry/instrument"
PARAMETERS = "entry/parameters"
DATA = "entry/data"
WAVEFORMS = "entry/waveforms"
PREVIEW = "entry/preview"
ANALYSIS = "entry/analysis"

#: CF / netCDF convention, written verbatim on every waveform and on the root group. The raw codes are counts
#: (``units="1"``); the unit of the physical value is their ``physical_units`` attribute.
SCALING_CONVENTION = "CF: physical = raw * scale_factor + add_offset, in physical_units"

#: Names inside a waveform record's NXdata group.
WAVEFORM_RAW = "raw"
WAVEFORM_TIME = "time"

#: The ``/entry`` attribute that says when the last block was committed (fixed-length text, rewritten in place).
LAST_BLOCK_TIME = "last_block_time"
#: Its format: always 27 characters, so each commit rewrites the attribute in place.
_BLOCK_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

#: Suffix of the dataset holding a metric's expanded uncertainty (NeXus ``_errors`` convention).
ERRORS_SUFFIX = "_errors"

#: Block sizes (raw samples) of the stored min/max preview pyramid, finest first.
PYRAMID_BLOCKS = (1024, 65536)


def pyramid_name(block_points: int) -> str:
    """Name of the preview dataset holding the min/max of each block of ``block_points`` raw samples."""
    return f"minmax_{block_points}"


def iso_utc(moment: datetime) -> str:
    """ISO-8601 text of a UTC moment, e.g. ``2025-03-04T05:06:07.123456+00:00``."""
    return moment.astimezone(UTC).isoformat()


def mark_block_time(file: h5py.File, moment: datetime) -> None:
    """Record on ``/entry`` that a block was committed at ``moment`` (in place: the file does not grow)."""
    file[ENTRY].attrs.modify(LAST_BLOCK_TIME, np.bytes_(moment.astimezone(UTC).strftime(_BLOCK_TIME_FORMAT)))


def read_block_time(file: h5py.File) -> datetime | None:
    """When the file's last block was committed, or None if no block was (or the file predates the attribute)."""
    value = file[ENTRY].attrs.get(LAST_BLOCK_TIME)
    if value is None:
        return None
    return datetime.strptime(text_of(value), _BLOCK_TIME_FORMAT).replace(tzinfo=UTC)


def nx_group(parent: h5py.Group, name: str, nx_class: str) -> h5py.Group:
    """Create the group ``name`` in ``parent`` with its ``NX_class``."""
    group = parent.create_group(name)
    group.attrs["NX_class"] = nx_class
    return group


def _texts(group: h5py.Group, fields: dict[str, str]) -> None:
    for key, text in fields.items():
        group.create_dataset(key, data=text)


def write_entry(file: h5py.File, entry: RunEntry, software_name: str) -> h5py.Group:
    """Create the root attributes and ``/entry`` with status ``running``."""
    file.attrs["default"] = ENTRY
    file.attrs["creator"] = software_name
    file.attrs["creator_version"] = entry.software_version
    file.attrs["file_time"] = iso_utc(datetime.now(UTC))
    file.attrs["scaling_convention"] = SCALING_CONVENTION
    group = nx_group(file, ENTRY, "NXentry")
    _texts(
        group,
        {
            "title": entry.title or f"{entry.method_code} run {entry.run_id}",
            "run_id": entry.run_id,
            "booking_ref": entry.booking_ref,
            "method_code": entry.method_code,
            "method_version": entry.method_version,
            "start_time": iso_utc(entry.start_time),
            "status": "running",
            "operator": entry.operator,
            "program_name": software_name,
            "software_version": entry.software_version,
        },
    )
    group["program_name"].attrs["version"] = entry.software_version
    return group


def set_default_plot(file: h5py.File, path: str) -> None:
    """Make ``/entry`` point at the NXdata group ``path`` (relative to ``/entry``) unless it points somewhere.

    A nested path is a chain of ``default`` attributes, one per level, as NeXus resolves them: the first thing
    plottable that the run wrote stays the default.
    """
    group = file[ENTRY]
    if "default" in group.attrs:
        return
    for name in path.split("/"):
        group.attrs["default"] = name
        group = group[name]


def write_sample(file: h5py.File, sample: SampleInfo) -> None:
    """Create ``/entry/sample`` (NXsample)."""
    group = nx_group(file[ENTRY], "sample", "NXsample")
    _texts(group, {"name": sample.label, "description": sample.description, "condition": sample.condition})


def write_instruments(file: h5py.File, instruments: Iterable[InstrumentInfo]) -> None:
    """Create ``/entry/instrument`` and one group per instrument, named from its asset tag.

    Raises:
        InvalidRunDataError: If two asset tags give the same NeXus name (``SMU-01`` and ``SMU_01``).
    """
    parent = nx_group(file[ENTRY], "instrument", "NXinstrument")
    for info in instruments:
        name = nexus_name(info.asset_tag, "asset tag")
        if name in parent:
            raise InvalidRunDataError(f"instrument {info.asset_tag!r} listed twice (as {name!r})")
        group = nx_group(parent, name, "NXcollection")
        _texts(
            group,
            {
                "asset_tag": info.asset_tag,
                "kind": info.kind,
                "manufacturer": info.manufacturer,
                "model": info.model,
                "serial_number": info.serial,
                "firmware": info.firmware,
                "calibration_due": info.calibration_due.isoformat(),
                "calibration_date": info.calibrated_on.isoformat() if info.calibrated_on else "",
                "calibration_certificate": info.calibration_certificate,
                "visa_resource": info.visa_resource,
            },
        )
        if info.settings:
            write_settings(group, info.settings)


#: A setting's unit, from how its name ends (the procedures name settings with their unit).
_SETTING_UNITS = (
    ("_s_per_division", "s"),
    ("_per_division", "V"),
    ("_ohm", "ohm"),
    ("_hz", "Hz"),
    ("_v", "V"),
    ("_a", "A"),
    ("_s", "s"),
    ("_c", "degC"),
    ("_k", "K"),
)


def write_settings(instrument: h5py.Group, settings: Mapping[str, float | int | str | bool]) -> None:
    """Create ``settings`` (NXcollection) in an instrument's group: one field per setting, a number with its unit."""
    group = nx_group(instrument, "settings", "NXcollection")
    for name, value in settings.items():
        dataset = group.create_dataset(check_hdf5_name(name, "setting"), data=_scalar(value))
        unit = next((unit for suffix, unit in _SETTING_UNITS if name.endswith(suffix)), None)
        if unit is not None and not isinstance(value, str | bool):
            dataset.attrs["units"] = unit


def _scalar(value: float | int | str | bool) -> Any:
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value)
    if isinstance(value, float):
        return np.float64(value)
    if isinstance(value, str):
        return value
    raise InvalidRunDataError(f"parameter value {value!r} is not a float, int, str or bool")


def write_parameters(file: h5py.File, parameters: dict[str, Quantity]) -> None:
    """Create ``/entry/parameters``: exact scalar values (float64 keeps every bit), attr ``units``."""
    write_quantities(file[ENTRY], "parameters", parameters)


def write_quantities(parent: h5py.Group, name: str, quantities: Mapping[str, Quantity]) -> h5py.Group:
    """Create the NXparameters group ``name`` in ``parent``: one exact scalar per quantity, attr ``units``.

    Raises:
        InvalidRunDataError: If a name is not a valid NeXus name or a value has no HDF5 form.
    """
    group = nx_group(parent, name, "NXparameters")
    for key, quantity in quantities.items():
        dataset = group.create_dataset(check_hdf5_name(key, "parameter"), data=_scalar(quantity.value))
        dataset.attrs["units"] = quantity.units
    return group


def waveform_codes(node: h5py.Group | h5py.Dataset) -> h5py.Dataset:
    """A waveform record's raw codes: its NXdata's signal, or the record itself in a file written before records
    were NXdata groups (such files stay readable)."""
    return node if isinstance(node, h5py.Dataset) else node[WAVEFORM_RAW]


def waveform_units(codes: h5py.Dataset) -> str:
    """The physical unit of a record's values (older files kept it in ``units`` on the codes themselves)."""
    return text_of(codes.attrs.get("physical_units", codes.attrs.get("units", "")))


def text_of(value: Any) -> str:
    """A text read from HDF5 (h5py gives ``bytes`` for some strings) as ``str``."""
    return value.decode() if isinstance(value, bytes) else str(value)


def read_quantity(dataset: h5py.Dataset) -> Quantity:
    """A scalar written by :func:`write_parameters`, as the value and units it was written with."""
    value = dataset[()]
    plain: float | int | str | bool = text_of(value) if isinstance(value, bytes | str) else value.item()
    return Quantity(plain, text_of(dataset.attrs.get("units", "")))
