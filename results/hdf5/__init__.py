"""The HDF5 run store: one NeXus-compatible file per run, written block by block, hashed when closed."""

from results.hdf5.integrity import iter_file_chunks, sha256_file
from results.hdf5.model import (
    AnalysisProcess,
    InstrumentInfo,
    InvalidRunDataError,
    Quantity,
    RunEntry,
    RunFileError,
    RunFileWriteError,
    RunStatus,
    SampleInfo,
    StoredAssessment,
    StoredLimits,
    StoredMetric,
)
from results.hdf5.preview import Preview, preview
from results.hdf5.process import StoredAnalysis, read_analysis
from results.hdf5.reader import ColumnInfo, RunFileInfo, WaveformInfo, open_run, read_column, read_waveform
from results.hdf5.recovery import UnfinishedRunFile, read_unfinished
from results.hdf5.rundata import RunData, StoredWaveform
from results.hdf5.writer import RunFileWriter

__all__ = [
    "AnalysisProcess",
    "ColumnInfo",
    "InstrumentInfo",
    "InvalidRunDataError",
    "Preview",
    "Quantity",
    "RunData",
    "RunEntry",
    "RunFileError",
    "RunFileInfo",
    "RunFileWriteError",
    "RunFileWriter",
    "RunStatus",
    "SampleInfo",
    "StoredAnalysis",
    "StoredAssessment",
    "StoredLimits",
    "StoredMetric",
    "StoredWaveform",
    "UnfinishedRunFile",
    "WaveformInfo",
    "iter_file_chunks",
    "open_run",
    "preview",
    "read_analysis",
    "read_column",
    "read_unfinished",
    "read_waveform",
    "sha256_file",
]
