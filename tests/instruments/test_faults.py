"""Injected faults come out as clear exceptions within the timeout, and the instrument recovers."""

from __future__ import annotations

import time

import numpy as np
import pytest

from instruments.drivers import use_instrument
from instruments.errors import (
    InstrumentDisconnected,
    InstrumentProtocolError,
    InstrumentReportedError,
    InstrumentTimeout,
)
from instruments.keysight import Waveform
from instruments.sim import Fault, SimulatedBench

pytestmark = pytest.mark.integration
TIMEOUT_MS = 500


def dmm_reads_again(bench: SimulatedBench) -> None:
    with use_instrument("agilent34410a", bench.resource("DMM-01"), timeout_ms=TIMEOUT_MS) as dmm:
        assert 900 < dmm.instrument.resistance_4w < 1500


def test_no_reply_is_a_timeout_within_the_configured_time(bench: SimulatedBench) -> None:
    with use_instrument("agilent34410a", bench.resource("DMM-01"), timeout_ms=TIMEOUT_MS) as dmm:
        bench.inject("DMM-01", Fault.NO_REPLY)
        started = time.monotonic()
        with pytest.raises(InstrumentTimeout, match="no reply in time"):
            _ = dmm.instrument.resistance_4w
        assert time.monotonic() - started < 3 * TIMEOUT_MS / 1000
    bench.clear_faults("DMM-01")
    dmm_reads_again(bench)


def test_an_instrument_that_never_answers_idn_cannot_be_connected(bench: SimulatedBench) -> None:
    bench.inject("SMU-01", Fault.NO_REPLY)
    with (
        pytest.raises(InstrumentTimeout),
        use_instrument("keithley2450", bench.resource("SMU-01"), timeout_ms=TIMEOUT_MS),
    ):
        pass
    bench.clear_faults("SMU-01")
    with use_instrument("keithley2450", bench.resource("SMU-01"), timeout_ms=TIMEOUT_MS) as smu:
        assert smu.identity.model == "MODEL 2450"


def test_garbage_is_a_protocol_error(bench: SimulatedBench) -> None:
    with use_instrument("agilent34410a", bench.resource("DMM-01"), timeout_ms=TIMEOUT_MS) as dmm:
        bench.inject("DMM-01", Fault.GARBAGE)
        with pytest.raises(InstrumentProtocolError, match="unreadable reply"):
            _ = dmm.instrument.resistance_4w
    bench.clear_faults("DMM-01")
    dmm_reads_again(bench)


def test_a_queued_error_is_reported_when_the_session_ends(bench: SimulatedBench) -> None:
    with (  # noqa: PT012  # the error surfaces when the session ends, after the reading
        pytest.raises(InstrumentReportedError, match="-310") as caught,
        use_instrument("agilent34410a", bench.resource("DMM-01"), timeout_ms=TIMEOUT_MS) as dmm,
    ):
        bench.inject("DMM-01", Fault.QUEUE_ERROR)
        assert 900 < dmm.instrument.resistance_4w < 1500
    assert caught.value.errors == [(-310, "System error")]
    bench.clear_faults("DMM-01")
    dmm_reads_again(bench)


def start_long_record(bench: SimulatedBench, points: int) -> None:
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01"), timeout_ms=TIMEOUT_MS) as scope:
        scope.instrument.configure_waveform_transfer(channel=1, points=points)
        scope.instrument.acquire(channel=1)


def test_a_connection_dropped_mid_block_is_a_disconnection_and_the_scope_recovers(bench: SimulatedBench) -> None:
    start_long_record(bench, 200_000)
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01"), timeout_ms=TIMEOUT_MS) as scope:
        bench.inject("SCOPE-01", Fault.DROP_MID_BLOCK)
        started = time.monotonic()
        with pytest.raises(InstrumentDisconnected, match=r"closed after \d+ of 400001 bytes"):
            scope.instrument.read_waveform()
        assert time.monotonic() - started < 3 * TIMEOUT_MS / 1000
    bench.clear_faults("SCOPE-01")
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01"), timeout_ms=TIMEOUT_MS) as scope:
        record = scope.instrument.read_waveform()
    assert record.points == 200_000


def test_a_streamed_record_cut_off_hands_on_every_whole_block_before_the_cut_then_fails(bench: SimulatedBench) -> None:
    start_long_record(bench, 200_000)
    blocks: list[Waveform] = []
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01"), timeout_ms=TIMEOUT_MS) as scope:
        bench.inject("SCOPE-01", Fault.DROP_MID_BLOCK)  # the bench sends half its reply: 99,998 of 200,000 points
        with pytest.raises(InstrumentDisconnected, match=r"closed after \d+ of 400001 bytes"):
            scope.instrument.stream_waveform(blocks.append, block_points=10_000)
    bench.clear_faults("SCOPE-01")

    assert [block.points for block in blocks] == [10_000] * 9
    np.testing.assert_array_equal(np.concatenate([b.raw for b in blocks]), bench.last_waveform("SCOPE-01").raw[:90_000])


def test_garbage_instead_of_a_block_is_a_protocol_error(bench: SimulatedBench) -> None:
    start_long_record(bench, 1000)
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01"), timeout_ms=TIMEOUT_MS) as scope:
        bench.inject("SCOPE-01", Fault.GARBAGE)
        with pytest.raises(InstrumentProtocolError):
            scope.instrument.read_waveform()


def test_a_bench_that_stops_is_a_disconnection(bench: SimulatedBench) -> None:
    with SimulatedBench.from_yaml(base_port=0) as own_bench:
        resource = own_bench.resource("DMM-01")
        with use_instrument("agilent34410a", resource, timeout_ms=TIMEOUT_MS) as dmm:
            own_bench.stop()
            with pytest.raises((InstrumentDisconnected, InstrumentTimeout)):
                _ = dmm.instrument.resistance_4w
    dmm_reads_again(bench)


def test_a_late_reply_is_never_read_as_the_reply_to_the_next_query(bench: SimulatedBench) -> None:
    # The resistance comes 0.75 s late: past the 0.5 s timeout, but while the next query still waits for its reply.
    with use_instrument("agilent34410a", bench.resource("DMM-01"), timeout_ms=TIMEOUT_MS) as dmm:
        bench.inject("DMM-01", Fault.LATE_REPLY, delay_s=1.5 * TIMEOUT_MS / 1000)
        with pytest.raises(InstrumentTimeout):
            _ = dmm.instrument.resistance
        bench.clear_faults("DMM-01")
        voltage = dmm.instrument.voltage_dc
        resistance = dmm.instrument.resistance_4w
    assert abs(voltage) < 1e-3  # the open input's offset, not the late 992 ohm
    assert 900 < resistance < 1500


def test_after_garbage_the_same_session_reads_true_values_again(bench: SimulatedBench) -> None:
    with use_instrument("agilent34410a", bench.resource("DMM-01"), timeout_ms=TIMEOUT_MS) as dmm:
        bench.inject("DMM-01", Fault.GARBAGE)
        with pytest.raises(InstrumentProtocolError):
            _ = dmm.instrument.resistance_4w
        bench.clear_faults("DMM-01")
        assert 900 < dmm.instrument.resistance_4w < 1500
        assert abs(dmm.instrument.voltage_dc) < 1e-3
