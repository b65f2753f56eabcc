"""Simulated instruments take the time the hardware takes, on the bench's scaled clock; the scope triggers only on a
signal and records no more than its memory depth.

Times are compared as ratios or against lower bounds (the machine is shared and noisy), never as absolute figures.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator

import pytest
import pyvisa
from pyvisa.errors import VisaIOError

from instruments.sim import SimulatedBench

pytestmark = pytest.mark.integration

_Session = pyvisa.resources.MessageBasedResource
#: Half real time: long enough that a reading's integration stands out of the loopback's round trip.
_TIME_SCALE = 0.5


@pytest.fixture(scope="module")
def bench() -> Iterator[SimulatedBench]:
    with SimulatedBench.from_yaml(base_port=0, time_scale=_TIME_SCALE) as running:
        yield running


@pytest.fixture
def manager() -> Iterator[pyvisa.ResourceManager]:
    manager = pyvisa.ResourceManager("@py")
    yield manager
    manager.close()


def _open(manager: pyvisa.ResourceManager, resource: str, timeout_ms: int = 5000) -> _Session:
    session = manager.open_resource(resource, read_termination="\n", write_termination="\n", timeout=timeout_ms)
    assert isinstance(session, _Session)
    return session


def _median_s(session: _Session, query: str, repeats: int = 3) -> float:
    taken: list[float] = []
    for _ in range(repeats):
        began = time.perf_counter()
        session.query(query)
        taken.append(time.perf_counter() - began)
    return statistics.median(taken)


def test_an_smu_reading_at_nplc_10_takes_about_ten_times_one_at_nplc_1(
    bench: SimulatedBench, manager: pyvisa.ResourceManager
) -> None:
    smu = _open(manager, bench.resource("SMU-01"))
    smu.write(":SOUR:FUNC VOLT;:SOUR:VOLT 0.5;:SENS:FUNC 'CURR';:OUTP ON")
    try:
        smu.write(":SENS:CURR:NPLC 1")
        one_plc = _median_s(smu, ":READ?")
        smu.write(":SENS:CURR:NPLC 10")
        ten_plc = _median_s(smu, ":READ?")
    finally:
        smu.write(":SENS:CURR:NPLC 1;:OUTP OFF")
    # 10/60 s against 1/60 s of integration, each with the same overhead and round trip: about 9 times.
    assert 4 < ten_plc / one_plc < 14
    assert ten_plc >= 10 / 60 * _TIME_SCALE


def test_a_dmm_reading_takes_nplc_line_cycles_for_each_sample(
    bench: SimulatedBench, manager: pyvisa.ResourceManager
) -> None:
    dmm = _open(manager, bench.resource("DMM-01"))
    dmm.write("CONF:FRES;:FRES:NPLC 1")
    one_plc = _median_s(dmm, "READ?")
    dmm.write(":FRES:NPLC 10")
    ten_plc = _median_s(dmm, "READ?")
    dmm.write(":FRES:NPLC 1;:SAMP:COUN 5")
    five_samples = _median_s(dmm, "READ?")
    dmm.write("*RST")
    assert 4 < ten_plc / one_plc < 14
    assert ten_plc >= 10 / 60 * _TIME_SCALE
    assert 2.5 < five_samples / one_plc < 7


def test_an_lcr_measurement_takes_its_aperture_times_its_averaging(
    bench: SimulatedBench, manager: pyvisa.ResourceManager
) -> None:
    lcr = _open(manager, bench.resource("LCR-01"))
    lcr.write(":APER SHOR,1")
    short = _median_s(lcr, ":FETC?")
    lcr.write(":APER LONG,2")
    long_averaged = _median_s(lcr, ":FETC?")
    lcr.write(":APER MED,1")
    assert long_averaged >= 2 * 0.22 * _TIME_SCALE
    assert long_averaged / short > 20


def _drive_the_rc_network(bench: SimulatedBench, manager: pyvisa.ResourceManager, *, on: bool) -> None:
    awg = _open(manager, bench.resource("AWG-01"))
    awg.write(f":SOUR1:FUNC SQU;:SOUR1:FREQ 1000;:SOUR1:VOLT:HIGH 1;:SOUR1:VOLT:LOW 0;:OUTP1 {'ON' if on else 'OFF'}")
    awg.query("*OPC?")
    awg.close()


@pytest.fixture
def scope(bench: SimulatedBench, manager: pyvisa.ResourceManager) -> Iterator[_Session]:
    """The scope triggering on channel 1 rising through 0.5 V in NORMal sweep, the generator driving its network."""
    _drive_the_rc_network(bench, manager, on=True)
    session = _open(manager, bench.resource("SCOPE-01"), timeout_ms=5000)
    session.write(":TRIG:SWE NORM;:TRIG:SOUR CHAN1;:TRIG:LEV 0.5;:TRIG:SLOP POS;:WAV:POIN 1000")
    yield session
    session.close()
    restore = _open(manager, bench.resource("SCOPE-01"))
    restore.write("*RST")
    restore.close()
    _drive_the_rc_network(bench, manager, on=False)


def _acquisition_s(scope: _Session, timebase_s: float) -> float:
    began = time.perf_counter()
    assert scope.query(f":TIM:SCAL {timebase_s:g};:DIG CHAN1;*OPC?") == "1"
    return time.perf_counter() - began


def test_an_acquisition_lasts_at_least_the_screen_s_span_and_follows_the_timebase(scope: _Session) -> None:
    short = statistics.median(_acquisition_s(scope, 2e-3) for _ in range(3))
    long = statistics.median(_acquisition_s(scope, 20e-3) for _ in range(3))
    assert long >= 10 * 20e-3 * _TIME_SCALE
    # 20 ms against 200 ms of screen, plus up to a 1 ms period waiting for the edge.
    assert 5 < long / short < 12
    assert scope.query(":TER?") == "1"


def test_with_no_signal_on_its_trigger_source_the_scope_never_triggers_until_it_gets_one(
    bench: SimulatedBench, manager: pyvisa.ResourceManager, scope: _Session
) -> None:
    _drive_the_rc_network(bench, manager, on=False)
    scope.timeout = 500
    scope.write(":TIM:SCAL 1e-3;:DIG CHAN1")
    with pytest.raises(VisaIOError):
        scope.query("*OPC?")
    # As the adapter does after a timeout: a raw socket has no device clear, so it is reopened.
    scope.close()
    again = _open(manager, bench.resource("SCOPE-01"), timeout_ms=2000)
    assert again.query(":TER?") == "0"

    _drive_the_rc_network(bench, manager, on=True)
    assert again.query(":DIG CHAN1;*OPC?") == "1"
    assert again.query(":TER?") == "1"
    again.close()


def test_a_trigger_level_beyond_the_signal_never_triggers_a_single_acquisition(scope: _Session) -> None:
    scope.write(":TIM:SCAL 1e-3;:TRIG:LEV 3;:SING")
    time.sleep(0.05)
    assert scope.query(":TER?") == "0"
    scope.write(":TRIG:LEV 0.5;:SING")
    assert scope.query("*OPC?") == "1"
    assert scope.query(":TER?") == "1"


def test_an_acquisition_armed_before_the_signal_comes_triggers_once_it_does(
    bench: SimulatedBench, manager: pyvisa.ResourceManager, scope: _Session
) -> None:
    _drive_the_rc_network(bench, manager, on=False)
    scope.write(":TIM:SCAL 1e-3;:SING")
    time.sleep(0.05)
    assert scope.query(":TER?") == "0"
    _drive_the_rc_network(bench, manager, on=True)
    assert scope.query("*OPC?") == "1"
    assert scope.query(":TER?") == "1"


def test_in_auto_sweep_a_scope_with_no_signal_triggers_itself_and_reports_no_trigger(
    bench: SimulatedBench, manager: pyvisa.ResourceManager, scope: _Session
) -> None:
    _drive_the_rc_network(bench, manager, on=False)
    scope.write(":TRIG:SWE AUTO;:TIM:SCAL 1e-3")
    assert scope.query(":DIG CHAN1;*OPC?") == "1"
    assert scope.query(":TER?") == "0"


def test_a_record_longer_than_the_memory_depth_is_clamped_to_it(scope: _Session) -> None:
    scope.write(":WAV:POIN 8000000")
    assert scope.query(":WAV:POIN?") == "4000000"
    scope.write(":CHAN2:DISP 1")  # channels 1 and 2 share their ADC pair's memory
    assert scope.query(":WAV:POIN?") == "2000000"
    assert scope.query(":SYST:ERR?") == '+0,"No error"'
    scope.write(":CHAN2:DISP 0;:WAV:POIN 1000")


def test_a_long_acquisition_does_not_delay_another_instrument_s_idn_by_more_than_50_ms(
    bench: SimulatedBench, manager: pyvisa.ResourceManager, scope: _Session
) -> None:
    smu = _open(manager, bench.resource("SMU-01"))
    idle = statistics.median(_median_s(smu, "*IDN?", repeats=1) for _ in range(10))
    scope.write(":TIM:SCAL 0.1")  # a 1 s screen: 0.5 s on this bench's clock
    acquired: list[float] = []
    acquiring = threading.Thread(target=lambda: acquired.append(_acquisition_s(scope, 0.1)))
    acquiring.start()
    busy: list[float] = []
    while acquiring.is_alive():
        busy.append(_median_s(smu, "*IDN?", repeats=1))
        time.sleep(0.01)
    acquiring.join()
    assert acquired[0] >= 10 * 0.1 * _TIME_SCALE
    assert len(busy) > 5
    assert max(busy) < idle + 0.050


def test_what_a_client_sent_before_closing_still_runs_while_its_replies_go_nowhere(
    bench: SimulatedBench, manager: pyvisa.ResourceManager
) -> None:
    smu = _open(manager, bench.resource("SMU-01"))
    smu.write(":SENS:CURR:NPLC 10;:READ?")  # integrating while the next command arrives and the client leaves
    smu.write(":OUTP ON")
    smu.close()
    time.sleep(0.3)
    again = _open(manager, bench.resource("SMU-01"))
    try:
        assert again.query(":OUTP?") == "1"
    finally:
        again.write(":OUTP OFF;:SENS:CURR:NPLC 1")
        again.close()
