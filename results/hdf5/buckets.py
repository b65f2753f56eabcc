"""Reduce a 1-D or N x 2 dataset per bucket of consecutive rows, reading a few chunks at a time.

Memory stays flat however long the dataset: each read window is a whole number of chunks (so HDF5 decodes
every chunk once), the window's segments are reduced with ``ufunc.reduceat`` and folded into the buckets.
"""

from __future__ import annotations

from collections.abc import Sequence

import h5py
import numpy as np
import numpy.typing as npt

__all__ = ["WINDOW_BYTES", "Reduction", "bucket_edges", "reduce_buckets"]

#: Bytes read per window: a few 1 MiB chunks.
WINDOW_BYTES = 4 << 20

#: A reduction: the ufunc (``np.minimum``, ``np.maximum`` or ``np.add``) and the column (``None`` for 1-D).
Reduction = tuple[np.ufunc, int | None]

_IDENTITY: dict[np.ufunc, float] = {np.minimum: np.inf, np.maximum: -np.inf, np.add: 0.0}


def bucket_edges(rows: int, buckets: int) -> npt.NDArray[np.int64]:
    """First row of each of ``buckets`` near-equal buckets over ``rows`` rows (fewer if rows < buckets)."""
    edges = np.floor(np.linspace(0, rows, min(buckets, rows) + 1)).astype(np.int64)
    return np.unique(edges[:-1])


def _window_rows(dataset: h5py.Dataset) -> int:
    chunk = int(dataset.chunks[0]) if dataset.chunks else 65536
    row_bytes = int(dataset.dtype.itemsize) * (int(dataset.shape[1]) if dataset.ndim == 2 else 1)
    return max(chunk, (WINDOW_BYTES // (row_bytes * chunk)) * chunk)


def reduce_buckets(
    dataset: h5py.Dataset, edges: npt.NDArray[np.int64], stop: int, reductions: Sequence[Reduction]
) -> list[npt.NDArray[np.float64]]:
    """Apply each reduction to the rows of every bucket ``[edges[i], edges[i+1])`` (the last ends at ``stop``).

    Args:
        dataset: A chunked 1-D dataset, or an N x 2 one (choose the column in each reduction).
        edges: Ascending first rows of the buckets, ``edges[0] == 0``.
        stop: End row (exclusive) of the last bucket, at most the dataset's length.
        reductions: What to compute, e.g. ``[(np.minimum, 0), (np.maximum, 1)]``.

    Returns:
        One float64 array per reduction, one value per bucket (``nan`` for an empty bucket).
    """
    out = [np.full(edges.size, _IDENTITY[ufunc], dtype=np.float64) for ufunc, _ in reductions]
    touched = np.zeros(edges.size, dtype=bool)
    window = _window_rows(dataset)
    for start in range(0, stop, window):
        end = min(start + window, stop)
        block = dataset[start:end]
        inside = edges[(edges > start) & (edges < end)]
        starts = np.concatenate(([start], inside))
        ids = np.searchsorted(edges, starts, side="right") - 1
        touched[ids] = True
        for (ufunc, column), result in zip(reductions, out, strict=True):
            values = block if column is None else block[:, column]
            if ufunc is np.add:  # sums of raw integers would overflow their own dtype
                values = values.astype(np.float64)
            ufunc.at(result, ids, ufunc.reduceat(values, starts - start).astype(np.float64))
    for result in out:
        result[~touched] = np.nan
    return out
