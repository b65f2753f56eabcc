"""The DSOX3024T driver: waveform set-up byte for byte, and records that arrive intact."""

from __future__ import annotations

import numpy as np
import pytest
from pymeasure.test import expected_protocol

from instruments.accuracy import SCOPE_VERTICAL
from instruments.drivers import use_instrument
from instruments.errors import InstrumentDisconnected, InstrumentProtocolError
from instruments.keysight import KeysightDSOX3024T, Waveform
from instruments.sim import RCNetwork, SimulatedBench

PREAMBLE = "+1,+0,+4,+1,+1.0E-06,-2.0E-06,+0,+2.0E-03,+5.0E-01,+0"
FOUR_POINTS = np.array([-2, 10, 0x0A0A, -32768], dtype="<i2")


@pytest.mark.unit
def test_waveform_transfer_is_set_up_as_signed_little_endian_words() -> None:
    with expected_protocol(
        KeysightDSOX3024T,
        [
            (":WAV:SOUR CHAN1", None),
            (":WAV:FORM WORD", None),
            (":WAV:BYT LSBF", None),
            (":WAV:UNS 0", None),
            (":WAV:POIN:MODE RAW", None),
            (":WAV:POIN 2000000", None),
            (":DIG CHAN1", None),
            ("*OPC?", "1"),
        ],
    ) as scope:
        scope.configure_waveform_transfer(channel=1, points=2_000_000)
        scope.acquire(channel=1)


@pytest.mark.unit
def test_an_edge_trigger_that_waits_for_a_real_edge_is_set_up_byte_for_byte() -> None:
    with expected_protocol(
        KeysightDSOX3024T,
        [
            (":TRIG:EDGE:SOUR CHAN1", None),
            (":TRIG:EDGE:LEV 0.5", None),
            (":TRIG:EDGE:SLOP POS", None),
            (":TRIG:SWE NORM", None),
            (":TRIG:SWE?", "NORM"),
        ],
    ) as scope:
        scope.trigger_source = "CHAN1"
        scope.trigger_level = 0.5
        scope.trigger_slope = "POS"
        scope.trigger_sweep = "NORM"
        assert scope.trigger_sweep == "NORM"


@pytest.mark.unit
def test_a_block_with_newline_bytes_inside_is_read_whole_with_its_scale() -> None:
    block = b"#18" + FOUR_POINTS.tobytes() + b"\n"
    with expected_protocol(KeysightDSOX3024T, [(":WAV:PRE?;BYT?", f"{PREAMBLE};LSBF"), (":WAV:DATA?", block)]) as scope:
        record = scope.read_waveform()
    assert record.raw.dtype == np.int16
    np.testing.assert_array_equal(record.raw, FOUR_POINTS)
    assert record.y_increment_v == pytest.approx(2e-3)
    assert record.y_origin_v == pytest.approx(0.5)
    assert record.x_increment_s == pytest.approx(1e-6)
    np.testing.assert_allclose(record.volts()[:2], [0.496, 0.52])
    np.testing.assert_allclose(record.times_s(), [-2e-6, -1e-6, 0.0, 1e-6])


@pytest.mark.unit
def test_big_endian_words_are_read_in_native_order() -> None:
    block = b"#18" + FOUR_POINTS.astype(">i2").tobytes() + b"\n"
    with expected_protocol(KeysightDSOX3024T, [(":WAV:PRE?;BYT?", f"{PREAMBLE};MSBF"), (":WAV:DATA?", block)]) as scope:
        np.testing.assert_array_equal(scope.read_waveform().raw, FOUR_POINTS)


@pytest.mark.unit
def test_a_block_shorter_than_the_preamble_promises_is_refused() -> None:
    block = b"#16" + FOUR_POINTS.tobytes()[:6] + b"\n"
    with (
        expected_protocol(KeysightDSOX3024T, [(":WAV:PRE?;BYT?", f"{PREAMBLE};LSBF"), (":WAV:DATA?", block)]) as scope,
        pytest.raises(InstrumentProtocolError, match="promises 4 points"),
    ):
        scope.read_waveform()


@pytest.mark.unit
def test_a_reply_that_is_not_a_block_is_refused() -> None:
    with expected_protocol(
        KeysightDSOX3024T, [(":WAV:PRE?;BYT?", f"{PREAMBLE};LSBF"), (":WAV:DATA?", b"1,2,3,4\n")]
    ) as scope:
        with pytest.raises(InstrumentProtocolError, match="not a definite-length block"):
            scope.read_waveform()
        # The rest of the bad reply is still unread: the caller closes the connection (use_instrument does).
        assert scope.read_bytes(-1) == b"2,3,4\n"


@pytest.mark.unit
def test_a_streamed_record_is_handed_on_block_by_block_each_with_the_records_scaling() -> None:
    block = b"#18" + FOUR_POINTS.tobytes() + b"\n"
    blocks: list[Waveform] = []
    with expected_protocol(KeysightDSOX3024T, [(":WAV:PRE?;BYT?", f"{PREAMBLE};LSBF"), (":WAV:DATA?", block)]) as scope:
        assert scope.stream_waveform(blocks.append, block_points=3) == 4

    assert [b.raw.tolist() for b in blocks] == [FOUR_POINTS[:3].tolist(), FOUR_POINTS[3:].tolist()]
    assert {(b.y_increment_v, b.y_origin_v, b.y_reference, b.x_increment_s, b.x_origin_s) for b in blocks} == {
        (2e-3, 0.5, 0, 1e-6, -2e-6)
    }


@pytest.mark.unit
def test_a_streamed_record_shorter_than_its_preamble_says_is_a_protocol_error() -> None:
    block = b"#16" + FOUR_POINTS[:3].tobytes() + b"\n"
    with (
        expected_protocol(KeysightDSOX3024T, [(":WAV:PRE?;BYT?", f"{PREAMBLE};LSBF"), (":WAV:DATA?", block)]) as scope,
        pytest.raises(InstrumentProtocolError, match="preamble promised 4 points"),
    ):
        scope.stream_waveform(lambda _block: None)


@pytest.mark.unit
def test_a_block_without_its_closing_newline_broke_off() -> None:
    block = b"#18" + FOUR_POINTS.tobytes() + b"X"
    with (
        expected_protocol(KeysightDSOX3024T, [(":WAV:PRE?;BYT?", f"{PREAMBLE};LSBF"), (":WAV:DATA?", block)]) as scope,
        pytest.raises(InstrumentDisconnected),
    ):
        scope.read_waveform()


@pytest.mark.unit
def test_a_record_longer_than_the_scope_memory_is_refused() -> None:
    with expected_protocol(KeysightDSOX3024T, []) as scope, pytest.raises(ValueError, match="not in range"):
        scope.waveform_points = 5_000_000


@pytest.mark.integration
def test_a_two_million_point_record_arrives_intact_with_scale_and_offset(bench: SimulatedBench) -> None:
    with use_instrument("agilent33500", bench.resource("AWG-01")) as awg:
        generator = awg.instrument
        generator.shape = "SQU"
        generator.frequency = 1000
        generator.voltage_high = 1
        generator.voltage_low = 0
        generator.output_load = "INF"  # the RC fixture is high impedance: the levels are open-circuit volts
        generator.output = True
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01")) as connected:
        scope = connected.instrument
        scope.timebase_scale = 1e-4
        scope.ch_1.scale = 0.2
        scope.ch_1.offset = 0.5
        scope.configure_waveform_transfer(channel=1, points=2_000_000)
        scope.acquire(channel=1)
        record = scope.read_waveform()
    sent = bench.last_waveform("SCOPE-01")
    assert isinstance(record.raw, np.ndarray)
    assert record.raw.dtype == np.int16
    assert record.points == 2_000_000
    np.testing.assert_array_equal(record.raw, sent.raw)
    assert record.y_increment_v == pytest.approx(sent.y_increment_v, rel=1e-12)
    assert record.y_origin_v == pytest.approx(0.5)
    assert record.x_increment_s == pytest.approx(1e-3 / 2_000_000)
    rc = bench.truth("SCOPE-01")
    assert isinstance(rc, RCNetwork)
    step = bench.circuit_truth("SCOPE-01")  # the network driven through 50 Ω and loaded by the scope input
    one_tau = round((step.time_constant_s - record.x_origin_s) / record.x_increment_s)
    window = record.volts()[one_tau - 50 : one_tau + 50]
    expected = step.low_v + step.step_v * (1 - np.exp(-1))
    # The scope reads within its gain (2 % of the signal about the screen centre) and offset accuracy; the
    # generator's amplitude is within 1 % + 1 mV of the setting; noise averaged over the window.
    scope_error = SCOPE_VERTICAL.gain_of_full_scale * abs(expected - 0.5) + SCOPE_VERTICAL.offset_half_width(0.2, 0.5)
    assert window.mean() == pytest.approx(expected, abs=scope_error + 0.001)
    assert expected == pytest.approx(1 - np.exp(-1), abs=0.01 + 0.001)
    # Unloaded, the network alone would have tau = R × C; the source and the scope input move it by under 1 %.
    assert step.time_constant_s == pytest.approx(rc.time_constant_s, rel=0.01)


@pytest.mark.integration
def test_byte_records_arrive_as_int8(bench: SimulatedBench) -> None:
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01")) as connected:
        scope = connected.instrument
        scope.configure_waveform_transfer(channel=2, points=10_000, word=False)
        scope.acquire(channel=2)
        record = scope.read_waveform()
    assert record.raw.dtype == np.int8
    np.testing.assert_array_equal(record.raw, bench.last_waveform("SCOPE-01").raw)


@pytest.mark.integration
def test_a_streamed_record_arrives_intact_in_blocks_of_a_mebibyte(bench: SimulatedBench) -> None:
    blocks: list[Waveform] = []
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01")) as connected:
        scope = connected.instrument
        scope.configure_waveform_transfer(channel=1, points=1_200_000)
        scope.acquire(channel=1)
        assert scope.stream_waveform(blocks.append) == 1_200_000

    assert [block.raw.nbytes for block in blocks] == [1 << 20, 1 << 20, 1_200_000 * 2 - (2 << 20)]
    np.testing.assert_array_equal(np.concatenate([b.raw for b in blocks]), bench.last_waveform("SCOPE-01").raw)


@pytest.mark.integration
def test_the_record_length_reads_back_as_the_integer_the_scope_answers(bench: SimulatedBench) -> None:
    with use_instrument("keysight_dsox3024t", bench.resource("SCOPE-01")) as connected:
        scope = connected.instrument
        scope.waveform_points_mode = "RAW"
        scope.waveform_points = 250_000
        points = scope.waveform_points
    assert points == 250_000
    assert isinstance(points, int)
