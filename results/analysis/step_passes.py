"""The two passes of a step-response analysis over a waveform too long to hold: bin means, then moving averages.

Pass 1 (:func:`bin_means`) reads every sample once and keeps, for at most :data:`MAX_BINS` bins of consecutive
samples, their mean and count, and the spread of the samples about their bin's mean: enough for a least-squares
fit with the same minimum as one on every sample, the state levels, and the residual noise. Pass 2
(:func:`moving_averages`, :func:`first_crossing`) walks the full-resolution moving average of a window of
samples, chunk by chunk, from running sums carried across chunk boundaries, over only the range asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from results.analysis.waveform import CHUNK_POINTS, ChunkCache, Waveform, chunk_ranges

__all__ = ["MAX_BINS", "Bins", "Crossing", "bin_means", "first_crossing", "moving_averages"]

FloatArray = npt.NDArray[np.float64]

#: A fit on more bins than this gains nothing measurable and costs time; a record this short is fitted sample
#: by sample.
MAX_BINS = 32_768


@dataclass(frozen=True)
class Bins:
    """A waveform reduced to the means of bins of ``size`` consecutive samples (the last bin may hold fewer).

    Attributes:
        size: Samples per bin.
        first: Index of each bin's first sample.
        time: Mean time of each bin's samples, in s.
        mean: Mean of each bin's samples.
        count: Samples in each bin.
        spread: Sum over every sample of its squared deviation from its bin's mean (0 when ``size`` is 1).
    """

    size: int
    first: FloatArray
    time: FloatArray
    mean: FloatArray
    count: FloatArray
    spread: float

    @property
    def samples(self) -> int:
        """Samples the bins hold."""
        return int(self.count.sum())


def bin_means(waveform: Waveform, max_bins: int = MAX_BINS, chunk_points: int = CHUNK_POINTS) -> Bins:
    """Pass 1: the bins of a waveform, read chunk by chunk (each chunk a whole number of bins)."""
    n = waveform.length
    size = -(-n // max_bins)
    per_chunk = max(1, chunk_points // size) * size
    means: list[FloatArray] = []
    spread = 0.0
    for start, stop in chunk_ranges(0, n, per_chunk):
        values = waveform.read(start, stop)
        full = values.size - values.size % size
        if full:
            blocks = values[:full].reshape(-1, size)
            block_means = blocks.mean(axis=1)
            spread += float(np.square(blocks - block_means[:, None]).sum()) if size > 1 else 0.0
            means.append(block_means)
        if full < values.size:
            tail = values[full:]
            means.append(np.array([tail.mean()]))
            spread += float(np.square(tail - tail.mean()).sum())
    first = np.arange(0, n, size, dtype=np.float64)
    count = np.minimum(first + size, n) - first
    time = waveform.t0 + waveform.dt * (first + (count - 1.0) / 2.0)
    return Bins(size, first, time, np.concatenate(means), count, spread)


def moving_averages(
    cache: ChunkCache, window: int, start: int, stop: int | None = None
) -> Iterator[tuple[int, FloatArray]]:
    """The mean of ``window`` samples from each position ``p`` in ``[start, stop)`` (``mean(y[p:p + window])``,
    ``stop`` at most ``length - window + 1``), yielded chunk by chunk as ``(first position, means)``.

    Each chunk's sums follow from the last one's by adding the sample entering the window and removing the one
    leaving it, so the time is linear in the range whatever the window, and memory holds a few chunks.
    """
    n = cache.waveform.length
    stop = n - window + 1 if stop is None else min(stop, n - window + 1)
    if stop <= start:
        return
    total = sum(float(cache.read(a, b).sum()) for a, b in chunk_ranges(start, start + window, cache.chunk_points))
    for first, last in chunk_ranges(start, stop, cache.chunk_points):
        entering = cache.read(first + window, last + window)
        sums = entering - cache.read(first, first + entering.size)
        np.cumsum(sums, out=sums)
        sums += total
        means = np.empty(last - first)
        means[0] = total
        means[1:] = sums[: last - first - 1]
        means /= window
        yield first, means
        if entering.size == last - first:
            total = float(sums[-1])


@dataclass(frozen=True)
class Crossing:
    """Where a moving average first reached a level: its position (the first one at or past the level) and the
    time interpolated between the centres of that window and the one before."""

    position: int
    time: float


def first_crossing(cache: ChunkCache, window: int, level: float, sign: float, start: int = 0) -> Crossing | None:
    """The first position at or after ``start`` where the moving average of ``window`` samples reaches ``level``
    going the way ``sign`` says (+1 rising, -1 falling); ``None`` if it never does.

    The time is interpolated linearly between the centres (``t0 + (p + window // 2) * dt``) of the window
    reaching the level and the one before it; at the waveform's first position it is that window's centre.
    """
    waveform = cache.waveform

    def centre(position: int) -> float:
        return waveform.t0 + waveform.dt * float(position + window // 2)

    previous: float | None = None
    for first, values in moving_averages(cache, window, start):
        beyond = sign * (values - level) >= 0.0
        if not beyond.any():
            previous = float(values[-1])
            continue
        index = int(np.argmax(beyond))
        position = first + index
        before = float(values[index - 1]) if index > 0 else previous
        if before is None:
            return Crossing(position, centre(position))
        after = float(values[index])
        fraction = (level - before) / (after - before) if after != before else 0.0
        return Crossing(position, centre(position - 1) + fraction * (centre(position) - centre(position - 1)))
    return None
