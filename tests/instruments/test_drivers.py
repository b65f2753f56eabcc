"""Connecting to instruments by driver name: identity checked, one user at a time, stock drivers on the bench."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
from pyvisa import constants

from instruments.accuracy import CHAMBER_SENSOR, LCR_BASIC, MODEL_ACCURACY
from instruments.drivers import DRIVERS, KINDS, connect, driver_entry, use_instrument
from instruments.errors import (
    IdentityMismatch,
    InstrumentBusy,
    InstrumentDisconnected,
    InstrumentReportedError,
    UnknownDriver,
)
from instruments.kinds import DRIVER_KINDS
from instruments.sim import Capacitor, Diode, Resistor, SimulatedBench

SMU = MODEL_ACCURACY["keithley2450"]


@pytest.mark.unit
def test_every_driver_has_a_lab_kind_and_the_lab_has_every_kind() -> None:
    assert {entry.kind for entry in DRIVERS.values()} == set(KINDS)
    assert set(DRIVER_KINDS) == set(DRIVERS)  # every driver's kind is known without loading it
    with pytest.raises(UnknownDriver, match="keithley2450"):
        driver_entry("keithley9999")


@pytest.mark.integration
def test_every_bench_instrument_connects_with_its_named_driver(bench: SimulatedBench) -> None:
    for tag in bench.asset_tags:
        spec = bench.instrument_spec(tag)
        with use_instrument(spec.driver, bench.resource(tag), expected_serial=spec.serial) as connected:
            assert connected.identity.serial == spec.serial
            assert connected.identity.firmware == spec.firmware
            assert isinstance(connected.instrument, DRIVERS[spec.driver].driver_class)


@pytest.mark.integration
def test_a_wrong_model_at_the_resource_is_refused(bench: SimulatedBench) -> None:
    with pytest.raises(IdentityMismatch, match="MODEL 2450"):
        connect("agilent34410a", bench.resource("SMU-01"))


@pytest.mark.integration
def test_a_wrong_serial_at_the_resource_is_refused(bench: SimulatedBench) -> None:
    with pytest.raises(IdentityMismatch, match="expected serial 99999"):
        connect("keithley2450", bench.resource("SMU-01"), expected_serial="99999")


@pytest.mark.integration
def test_nothing_listening_is_a_disconnected_instrument() -> None:
    with pytest.raises(InstrumentDisconnected):
        connect("keithley2450", "TCPIP0::127.0.0.1::1::SOCKET", timeout_ms=500)


@pytest.mark.integration
def test_a_second_user_waits_for_the_first_and_gives_up_with_busy(bench: SimulatedBench) -> None:
    resource = bench.resource("DMM-01")
    held, release = threading.Event(), threading.Event()

    def first_user() -> None:
        with use_instrument("agilent34410a", resource):
            held.set()
            release.wait(5)

    worker = threading.Thread(target=first_user)
    worker.start()
    held.wait(5)
    try:
        started = time.monotonic()
        with pytest.raises(InstrumentBusy), use_instrument("agilent34410a", resource, lock_timeout_s=0.2):
            pass
        assert time.monotonic() - started < 2
    finally:
        release.set()
        worker.join()
    with use_instrument("agilent34410a", resource) as dmm:
        assert dmm.identity.model == "34410A"


@pytest.mark.integration
def test_errors_the_instrument_queued_during_a_session_are_raised_at_its_end(bench: SimulatedBench) -> None:
    with (
        pytest.raises(InstrumentReportedError, match="-113") as caught,
        use_instrument("agilent33500", bench.resource("AWG-01")) as awg,
    ):
        awg.instrument.write("NOT:A:COMMAND")
    assert caught.value.errors == [(-113, "Undefined header")]


@pytest.mark.integration
def test_the_stock_keithley_2450_driver_measures_the_diode(bench: SimulatedBench) -> None:
    with use_instrument("keithley2450", bench.resource("SMU-01")) as connected:
        smu = connected.instrument
        smu.apply_voltage(compliance_current=0.1)
        smu.measure_current()
        smu.source_voltage = 0.65
        smu.enable_source()
        current = smu.current
        smu.disable_source()
    diode = bench.truth("SMU-01")
    assert isinstance(diode, Diode)
    # Two-wire at 0.65 V set: the source within its accuracy, the leads in series, the reading within its own.
    temperature = bench.temperature_c("SMU-01")
    source_error = SMU["voltage"].half_width(0.65)
    leads_ohm = 2 * diode.lead_resistance_ohm
    with_leads = dataclasses.replace(diode, series_resistance_ohm=diode.series_resistance_ohm + leads_ohm)
    lowest = with_leads.current_a(0.65 - source_error, temperature)
    highest = diode.current_a(0.65 + source_error, temperature)
    span = SMU["current"].range_for(highest)
    margin = 1e-9 + span.half_width(highest) + 5 * span.noise
    assert lowest - margin <= current <= highest + margin
    assert current == pytest.approx(diode.current_a(0.65, temperature), rel=0.05)


@pytest.mark.integration
def test_the_stock_34410a_driver_and_the_chamber_measure_the_temperature_coefficient(bench: SimulatedBench) -> None:
    readings = {}
    for setpoint in (25.0, 75.0):
        with use_instrument("watlow_f4t", bench.resource("CHAMBER-01")) as chamber:
            chamber.instrument.temperature_setpoint = setpoint
            chamber.instrument.wait_until_stable(setpoint, tolerance_c=0.01, timeout_s=10, poll_s=0.02)
        with use_instrument("agilent34410a", bench.resource("DMM-01")) as dmm:
            readings[setpoint] = dmm.instrument.resistance_4w
    resistor = bench.truth("FX-RESISTOR")
    assert isinstance(resistor, Resistor)
    alpha = (readings[75.0] - readings[25.0]) / (readings[25.0] * 50.0)
    # The chamber's sensor errs within class A: its gain error stretches the 50 K step (at most 0.2 %), its error
    # at 25 °C moves the reference reading (alpha × half-width); the meter's gain cancels in the ratio.
    sensor = CHAMBER_SENSOR.ranges[0].of_reading + resistor.alpha_per_k * CHAMBER_SENSOR.half_width(25.0)
    assert alpha == pytest.approx(resistor.alpha_per_k, rel=2e-3 + sensor)


@pytest.mark.integration
def test_the_stock_e4980_driver_reads_d_rising_with_frequency(bench: SimulatedBench) -> None:
    dissipation = {}
    with use_instrument("agilente4980", bench.resource("LCR-01")) as connected:
        lcr = connected.instrument
        lcr.mode = "CPD"
        for frequency in (1e3, 1e6):
            lcr.frequency = frequency
            dissipation[frequency] = lcr.impedance[1]
    capacitor = bench.truth("LCR-01")
    assert isinstance(capacitor, Capacitor)
    # D is good to ±Ae (absolute) at 1 MHz for this |Z|, beside 5 sigma of the relative noise.
    accuracy = LCR_BASIC.relative(1e6, abs(capacitor.impedance_ohm(1e6)))
    noise = 5 * capacitor.relative_noise
    assert dissipation[1e6] == pytest.approx(capacitor.dissipation_factor(1e6), rel=1e-3 + noise, abs=accuracy)
    assert dissipation[1e6] > dissipation[1e3]


def test_a_lan_instrument_is_talked_to_without_nagles_delay(bench: SimulatedBench) -> None:
    # Set-then-read is two small writes; with Nagle's algorithm each such step of a sweep waits ~40 ms for an ACK.
    with use_instrument("keithley2450", bench.resource("SMU-01")) as smu:
        connection = smu.instrument.adapter.connection
        assert connection.get_visa_attribute(constants.ResourceAttribute.tcpip_nodelay) == constants.VI_TRUE
