"""The four methods the demo lab offers, written as a real lab's catalog would state them."""

from __future__ import annotations

from labsys.methods.models import DecisionRule, TestMethodCreate
from labsys.methods.parts import MethodParameter, SpecLimit, UncertaintyFigure

__all__ = ["DEMO_METHODS"]

DEMO_METHODS: tuple[TestMethodCreate, ...] = (
    TestMethodCreate(
        code="DIODE-IV",
        title="Diode forward I-V characterisation",
        standard="IEC 60747-2:2016, forward characteristics",
        procedure="diode_iv",
        instrument_kinds=["smu"],
        parameters=[
            MethodParameter(name="start_voltage", unit="V", default=0.3, minimum=0.0, maximum=2.0),
            MethodParameter(name="stop_voltage", unit="V", default=0.85, minimum=0.1, maximum=2.0),
            MethodParameter(name="points", unit="", default=56, minimum=5, maximum=1001),
            MethodParameter(
                name="compliance_current",
                unit="A",
                default=0.1,
                minimum=1e-6,
                maximum=1.0,
                description="the SMU limits the current to this value: protects the diode",
            ),
            MethodParameter(name="nplc", unit="", default=1.0, minimum=0.01, maximum=10.0),
            MethodParameter(
                name="ambient_temperature",
                unit="degC",
                default=23.0,
                minimum=0.0,
                maximum=50.0,
                description="the junction temperature the fit assumes: the lab's air temperature during the test",
            ),
        ],
        spec_limits=[
            SpecLimit(metric="ideality_factor", unit="", lower=1.0, upper=2.0),
            SpecLimit(metric="series_resistance", unit="ohm", upper=2.0),
        ],
        decision_rule=DecisionRule.GUARD_BAND,
        uncertainty=[
            UncertaintyFigure(metric="ideality_factor", expanded=0.02, k=2.0),
            UncertaintyFigure(metric="series_resistance", unit="ohm", expanded=0.05, k=2.0),
        ],
        duration_min=60,
        fee_krw=180_000,
    ),
    TestMethodCreate(
        code="RES-4W-TCR",
        title="Four-wire resistance and temperature coefficient",
        standard="IEC 60115-1:2020, 6.2 resistance and 6.6 temperature coefficient",
        procedure="resistance_tcr",
        instrument_kinds=["dmm", "temperature"],
        parameters=[
            MethodParameter(name="start_temperature", unit="degC", default=20.0, minimum=-40.0, maximum=150.0),
            MethodParameter(name="stop_temperature", unit="degC", default=80.0, minimum=-40.0, maximum=150.0),
            MethodParameter(name="temperature_steps", unit="", default=4, minimum=2, maximum=20),
            MethodParameter(name="readings_per_step", unit="", default=10, minimum=3, maximum=1000),
            MethodParameter(name="reference_temperature", unit="degC", default=25.0, minimum=0.0, maximum=100.0),
        ],
        spec_limits=[
            SpecLimit(metric="resistance_at_reference", unit="ohm", lower=995.0, upper=1005.0),
            SpecLimit(metric="temperature_coefficient", unit="1/K", lower=0.00380, upper=0.00390),
        ],
        decision_rule=DecisionRule.GUARD_BAND,
        uncertainty=[
            # The chamber's class A sensor (±0.15 K) alone moves R0 by 0.058 %: the method is validated to 0.07 %.
            UncertaintyFigure(metric="resistance_at_reference", unit="ohm", expanded=0.0007, k=2.0, relative=True),
            UncertaintyFigure(metric="temperature_coefficient", unit="1/K", expanded=5e-6, k=2.0),
        ],
        duration_min=90,
        fee_krw=150_000,
    ),
    TestMethodCreate(
        code="STEP-RISE",
        title="Step response and rise time",
        standard="IEC 60469:2013, transitions, pulses and related waveforms",
        procedure="step_response",
        instrument_kinds=["awg", "scope"],
        parameters=[
            MethodParameter(name="amplitude", unit="V", default=1.0, minimum=0.01, maximum=10.0),
            MethodParameter(name="frequency", unit="Hz", default=50.0, minimum=1.0, maximum=100_000.0),
            MethodParameter(name="record_points", unit="", default=1_000_000, minimum=1000, maximum=4_000_000),
            MethodParameter(name="records", unit="", default=3, minimum=1, maximum=100),
            MethodParameter(name="timebase", unit="s/div", default=1e-4, minimum=1e-9, maximum=50.0),
        ],
        spec_limits=[
            SpecLimit(metric="rise_time", unit="s", upper=5e-4),
            SpecLimit(metric="overshoot", unit="%", upper=5.0),
        ],
        decision_rule=DecisionRule.SIMPLE,
        uncertainty=[UncertaintyFigure(metric="rise_time", unit="s", expanded=0.01, k=2.0, relative=True)],
        duration_min=45,
        fee_krw=200_000,
    ),
    TestMethodCreate(
        code="CAP-CD",
        title="Capacitance and dissipation factor",
        standard="IEC 60384-1:2021, 4.7 capacitance and 4.8 tangent of loss angle",
        procedure="capacitance_df",
        instrument_kinds=["lcr"],
        parameters=[
            MethodParameter(name="voltage_level", unit="V", default=1.0, minimum=0.005, maximum=2.0),
            MethodParameter(name="repeats", unit="", default=5, minimum=1, maximum=100),
        ],
        spec_limits=[
            SpecLimit(metric="capacitance_1000Hz", unit="F", lower=95e-9, upper=105e-9),
            SpecLimit(metric="dissipation_factor_1000Hz", unit="", upper=0.025),
        ],
        decision_rule=DecisionRule.GUARD_BAND,
        uncertainty=[
            UncertaintyFigure(metric="capacitance_1000Hz", unit="F", expanded=0.002, k=2.0, relative=True),
            UncertaintyFigure(metric="dissipation_factor_1000Hz", expanded=0.0005, k=2.0),
        ],
        duration_min=30,
        fee_krw=120_000,
    ),
)
