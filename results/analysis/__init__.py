"""Analysis of run data: metrics with expanded uncertainty (k for about 95 %), and statements of conformity.

One plain function per test method, each taking numpy arrays and returning ``dict[str, Metric]``:
:func:`fit_diode_iv`, :func:`four_wire_resistance`, :func:`temperature_coefficient`, :func:`step_response`,
:func:`capacitor_lcr`; and :func:`step_response_of`, which reads a record of any length chunk by chunk (a
:class:`Waveform`, e.g. the :class:`RecordMean` of a run's records). :func:`assess` judges the metrics against
spec limits under a decision rule.

The analyses import scipy inside the functions that fit, when an analysis runs: the run-file store, the lab's
records and the web app import this package for its data model (:class:`Metric`, :class:`Assessment`, the
verdicts) and never pay for scipy.
"""

from results.analysis.budget import Contribution, Distribution, EvaluationType, combine
from results.analysis.capacitor import capacitor_lcr
from results.analysis.decision import Assessment, assess, combine_verdicts, decide
from results.analysis.diode import diode_current, fit_diode_iv, saturation_current_at, thermal_voltage
from results.analysis.model import DecisionRule, Metric, SpecLimits, Verdict
from results.analysis.resistance import AccuracySpec, four_wire_resistance, temperature_coefficient
from results.analysis.step_record import step_response_of
from results.analysis.step_response import step_response
from results.analysis.waveform import RecordMean, SampledArray, Waveform

__all__ = [
    "AccuracySpec",
    "Assessment",
    "Contribution",
    "DecisionRule",
    "Distribution",
    "EvaluationType",
    "Metric",
    "RecordMean",
    "SampledArray",
    "SpecLimits",
    "Verdict",
    "Waveform",
    "assess",
    "capacitor_lcr",
    "combine",
    "combine_verdicts",
    "decide",
    "diode_current",
    "fit_diode_iv",
    "four_wire_resistance",
    "saturation_current_at",
    "step_response",
    "step_response_of",
    "temperature_coefficient",
    "thermal_voltage",
]
