"""What a report draws over a diode sweep, and the deviations a run's analysis recorded."""

from __future__ import annotations

import numpy as np
import pytest

from labsys.certificates.overlays import run_deviations, run_overlays
from labsys.runs.models import Run
from results.analysis import diode_current, thermal_voltage

pytestmark = pytest.mark.unit

PARAMETERS = {
    "start_voltage": {"value": 0.3, "unit": "V"},
    "stop_voltage": {"value": 0.85, "unit": "V"},
    "compliance_current": {"value": 0.1, "unit": "A"},
    "ambient_temperature": {"value": 23.0, "unit": "degC"},
}
NOTE = "1 of 56 points reached the current limit of 0.1 A (the SMU's clamp, not the diode) and were left out."


def _diode_run() -> Run:
    metrics = {
        "saturation_current": {"value": 2.1e-9, "units": "A", "notes": [NOTE]},
        "ideality_factor": {"value": 1.75, "units": "1", "notes": [NOTE]},
        "series_resistance": {"value": 0.57, "units": "ohm", "notes": [NOTE]},
    }
    return Run(id=7, booking_id=1, sample_id=1, method_id=1, engineer_id=1, parameters=PARAMETERS, metrics=metrics)


def test_a_diode_sweep_is_drawn_with_its_fitted_model_within_the_sweep_and_its_limits_dashed() -> None:
    fit, limit, floor = run_overlays(_diode_run())
    assert not fit.dashed
    assert limit.dashed
    assert floor.dashed
    assert fit.x.min() >= 0.3
    assert fit.x.max() <= 0.85
    # the drawn model is the fitted diode: at each drawn voltage its current is the model's
    model = diode_current(fit.x, 2.1e-9, 1.75, 0.57, thermal_voltage(296.15))
    np.testing.assert_allclose(fit.y, model, rtol=1e-6)
    assert list(limit.y) == [0.1, 0.1]
    assert "0.1 A" in limit.label


def test_a_run_without_a_diode_model_has_nothing_drawn_over_it() -> None:
    run = _diode_run()
    run.metrics = {"resistance": {"value": 1000.0, "units": "ohm"}}
    assert run_overlays(run) == ()


def test_each_note_of_a_runs_metrics_is_one_deviation_naming_the_run() -> None:
    assert run_deviations(_diode_run()) == (f"Run 7: {NOTE}",)
