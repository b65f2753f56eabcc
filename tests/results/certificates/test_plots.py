"""Plots are PNG images of the printed size, Korean labels included, without touching pyplot's state."""

from __future__ import annotations

import struct

import matplotlib as mpl
import numpy as np
import pytest

from results.certificates.layout import figure_caption
from results.certificates.plots import PLOT_DPI, PLOT_SIZE_IN, plot_png, spans_decades
from results.certificates.series import PlotSeries

pytestmark = pytest.mark.unit


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_plot_is_a_png_of_the_printed_size_at_plot_resolution() -> None:
    x = np.linspace(0.0, 60.0, 200)
    png = plot_png(PlotSeries("Run R-1", x, np.sqrt(x), "Time", "s", "Resistance", "MΩ"))
    assert _png_size(png) == (round(PLOT_SIZE_IN[0] * PLOT_DPI), round(PLOT_SIZE_IN[1] * PLOT_DPI))


def test_korean_labels_draw_without_missing_glyph_warnings() -> None:
    # Warnings are errors in this suite, so a missing Hangul glyph would fail the test.
    x = np.arange(10.0)
    png = plot_png(PlotSeries("절연저항 측정", x, x, "시간", "s", "저항", "MΩ"))
    assert len(png) > 1000


def test_plotting_leaves_matplotlib_global_settings_alone() -> None:
    before = dict(mpl.rcParams)
    plot_png(PlotSeries("t", np.arange(3.0), np.arange(3.0), "x", "", "y", ""))
    assert dict(mpl.rcParams) == before


def test_a_diode_current_spanning_decades_is_drawn_and_captioned_on_a_log_axis() -> None:
    voltage = np.linspace(0.3, 0.85, 56)
    diode = PlotSeries("Run 7: current", voltage, 2.7e-9 * np.expm1(voltage / 0.0393), "Voltage", "V", "Current", "A")
    step = PlotSeries("Run 8: ch1", voltage, voltage - 0.5, "Time", "s", "Voltage", "V")

    assert spans_decades(diode)
    assert not spans_decades(step)  # crosses zero: a linear axis
    assert figure_caption(3, diode) == "Figure 3. Run 7: current: Current (A), logarithmic scale against Voltage (V)."
    assert figure_caption(1, step) == "Figure 1. Run 8: ch1: Voltage (V) against Time (s)."
