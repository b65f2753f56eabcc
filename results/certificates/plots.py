"""Plots of measured data for a report, drawn with matplotlib's object API (no pyplot global state)."""

from __future__ import annotations

import io
from functools import cache

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from results.certificates.fonts import BODY_FONT, font_file
from results.certificates.series import PlotSeries

__all__ = ["PLOT_DPI", "PLOT_SIZE_IN", "plot_png", "spans_decades"]

PLOT_DPI = 110
"""Resolution of plot images: sharp enough on paper at the printed size, quick to draw."""
PLOT_SIZE_IN = (6.4, 2.6)
"""Width and height of a plot, in inches, as drawn and as printed."""
_OVERLAY_COLOURS = ("#c0392b", "#7f8c8d", "#27ae60", "#8e44ad")


@cache
def _label_font() -> FontProperties:
    # Labels may be Korean; matplotlib's default font has no Hangul and would warn about every glyph.
    return FontProperties(fname=str(font_file(BODY_FONT)), size=8)


def spans_decades(series: PlotSeries) -> bool:
    """Whether ``y`` is positive and spans more than three decades: a log axis shows it (a diode's current)."""
    finite = series.y[np.isfinite(series.y)]
    return bool(finite.size) and bool(finite.min() > 0) and bool(finite.max() / finite.min() > 1e3)


def _axis_label(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else label


def plot_png(series: PlotSeries) -> bytes:
    """Draw one measured curve as a PNG image of :data:`PLOT_SIZE_IN` inches at :data:`PLOT_DPI`.

    Args:
        series: The curve, with axis labels and units.

    Returns:
        The PNG file's bytes.
    """
    font = _label_font()
    figure = Figure(figsize=PLOT_SIZE_IN, dpi=PLOT_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if series.overlays:  # measured points, and the model and limits drawn over them
        axes.plot(series.x, series.y, "o", markersize=2.5, color="#1f4e79", label="measured")
        for line, colour in zip(series.overlays, _OVERLAY_COLOURS, strict=False):
            style = "--" if line.dashed else "-"
            axes.plot(line.x, line.y, style, linewidth=0.9, color=colour, label=line.label)
        axes.legend(prop=_label_font(), fontsize=7, loc="best", frameon=False)
    else:
        axes.plot(series.x, series.y, linewidth=0.9, color="#1f4e79")
    if spans_decades(series):
        axes.set_yscale("log")
    axes.set_xlabel(_axis_label(series.x_label, series.x_unit), fontproperties=font)
    axes.set_ylabel(_axis_label(series.y_label, series.y_unit), fontproperties=font)
    axes.tick_params(labelsize=7)
    axes.grid(visible=True, linewidth=0.3, alpha=0.6)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PLOT_DPI)
    return buffer.getvalue()
