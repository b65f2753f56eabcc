"""The DSOX3024T's SCPI commands, as the InfiniiVision 3000T X-Series programmer's guide lists them.

Each channel's settings are under ``:CHANnel<1-4>``; ``:TIMebase?`` and ``:CHANnel<n>?`` answer the whole set-up
as the scope writes it (``:TIM:MODE MAIN;REF CENT;MAIN:RANG +1.00E-02;POS +0.0E+00``); ``:SYSTem:SETup?`` sends
the set-up as a binary block and ``:DISPlay:DATA?`` the screen as a PNG block, both with the scope's ``#8`` header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from instruments.sim.models.scope_record import BLOCK_LENGTH_DIGITS
from instruments.sim.models.scope_screen import read_setup, screen_png, setup_blob
from instruments.sim.scpi import (
    ILLEGAL_PARAMETER_VALUE,
    BlockData,
    Boolean,
    Call,
    Choice,
    Command,
    Entry,
    Numeric,
    Reply,
    ScpiError,
    Setting,
    SettingValue,
    String,
    definite_block,
    error_queries,
    ieee488_commands,
)

if TYPE_CHECKING:
    from instruments.sim.models.keysight_dsox3024t import SimulatedDSOX3024T

__all__ = ["SCOPE_DEFAULTS", "scope_commands"]

_CHANNEL = ":CHANnel<n:1-4>"
_CHANNELS = tuple(f"CHANnel{n}" for n in range(1, 5))
_LABEL_CHARACTERS = 10
#: Power-on values the commands do not declare: channel 1 alone is shown; each channel is labelled its number; a
#: record of 1000 points.
SCOPE_DEFAULTS: dict[str, SettingValue] = {
    "display/1": True,
    "waveform_points": 1000.0,
    **{f"label/{n}": str(n) for n in range(1, 5)},
}


def scope_commands() -> list[Entry[SimulatedDSOX3024T]]:
    """Get every command of the simulated DSOX3024T."""
    return [
        *ieee488_commands(),
        *error_queries(),
        *_acquisition_commands(),
        *_timebase_commands(),
        *_channel_commands(),
        *_waveform_commands(),
        Setting(":TRIGger[:EDGE]:SOURce", "trigger_source", Choice((*_CHANNELS, "EXTernal", "LINE", "WGEN")), "CHAN1"),
        Setting(":TRIGger[:EDGE]:LEVel", "trigger_level_v", Numeric(-40.0, 40.0, unit="V"), 0.0),
        Setting(
            ":TRIGger[:EDGE]:SLOPe", "trigger_slope", Choice(("POSitive", "NEGative", "EITHer", "ALTernate")), "POS"
        ),
        Setting(":TRIGger:SWEep", "trigger_sweep", Choice(("AUTO", "NORMal")), "AUTO"),
        Command(":TER?", lambda scope, call: scope.trigger_event_register(call)),
        Command(":SYSTem:PRESet", lambda scope, call: scope.reset()),
        Command(":SYSTem:SETup?", _setup),
        Command(":SYSTem:SETup", _restore_setup, (BlockData(),)),
        Command(
            ":DISPlay:DATA?",
            _screen,
            (Choice(("PNG", "BMP", "BMP8bit"), optional=True), Choice(("COLor", "GRAYscale"), optional=True)),
        ),
    ]


def _acquisition_commands() -> list[Entry[SimulatedDSOX3024T]]:
    return [
        Command(":DIGitize", lambda scope, call: scope.digitize(call), (Choice(_CHANNELS, optional=True),), True),
        Command(":SINGle", lambda scope, call: scope.arm(call)),
        Command(":RUN", lambda scope, call: scope.arm(call)),
        Command(":STOP", lambda scope, call: scope.stop(call)),
        Command(":AUToscale", lambda scope, call: None, (Choice(_CHANNELS, optional=True),), True),
        Setting(":ACQuire:TYPE", "acquire_type", Choice(("NORMal", "AVERage", "HRESolution", "PEAK")), "NORM"),
        Setting(":ACQuire:MODE", "acquire_mode", Choice(("RTIMe", "SEGMented")), "RTIM"),
        Setting(":ACQuire:COUNt", "acquire_count", Numeric(2, 65536, integer=True), 8.0),
    ]


def _timebase_commands() -> list[Entry[SimulatedDSOX3024T]]:
    return [
        Setting(":TIMebase:MODE", "timebase_mode", Choice(("MAIN", "WINDow", "XY", "ROLL")), "MAIN"),
        Setting(":TIMebase[:MAIN]:SCALe", "timebase_scale_s", Numeric(2e-9, 50.0, unit="S"), 1e-3),
        Command(":TIMebase[:MAIN]:RANGe", _set_timebase_range, (Numeric(20e-9, 500.0, unit="S"),)),
        Command(":TIMebase[:MAIN]:RANGe?", lambda scope, call: _number(scope, 10 * _float(scope, "timebase_scale_s"))),
        Setting(":TIMebase[:MAIN]:POSition", "timebase_position_s", Numeric(-500.0, 500.0, unit="S"), 0.0),
        Setting(":TIMebase:REFerence", "timebase_reference", Choice(("LEFT", "CENTer", "RIGHt")), "CENT"),
        Command(":TIMebase?", _timebase_setup),
    ]


def _channel_commands() -> list[Entry[SimulatedDSOX3024T]]:
    return [
        Setting(f"{_CHANNEL}:SCALe", "scale_v/{n}", Numeric(1e-3, 5.0, unit="V"), 1.0),
        Command(f"{_CHANNEL}:RANGe", _set_channel_range, (Numeric(8e-3, 40.0, unit="V"),)),
        Command(f"{_CHANNEL}:RANGe?", _channel_range),
        Setting(f"{_CHANNEL}:OFFSet", "offset_v/{n}", Numeric(-40.0, 40.0, unit="V"), 0.0),
        Setting(f"{_CHANNEL}:DISPlay", "display/{n}", Boolean(), False),
        Setting(f"{_CHANNEL}:BWLimit", "bandwidth_limit/{n}", Boolean(), False),
        Setting(f"{_CHANNEL}:COUPling", "coupling/{n}", Choice(("AC", "DC")), "DC"),
        Setting(f"{_CHANNEL}:IMPedance", "impedance/{n}", Choice(("ONEMeg", "FIFTy")), "ONEM"),
        Setting(f"{_CHANNEL}:INVert", "invert/{n}", Boolean(), False),
        Setting(f"{_CHANNEL}:PROBe", "probe/{n}", Numeric(0.001, 10000.0), 1.0),
        Setting(f"{_CHANNEL}:LABel", "label/{n}", String(), "", query_only=True),
        Command(f"{_CHANNEL}:LABel", _set_label, (String(),)),
        Command(f"{_CHANNEL}?", _channel_setup),
    ]


def _waveform_commands() -> list[Entry[SimulatedDSOX3024T]]:
    return [
        Setting(":WAVeform:SOURce", "waveform_source", Choice(_CHANNELS), "CHAN1"),
        Setting(":WAVeform:FORMat", "waveform_format", Choice(("WORD", "BYTE", "ASCii")), "BYTE"),
        Setting(":WAVeform:BYTeorder", "waveform_byte_order", Choice(("LSBFirst", "MSBFirst")), "MSBF"),
        Setting(":WAVeform:UNSigned", "waveform_unsigned", Boolean(), False),
        Setting(":WAVeform:POINts:MODE", "waveform_points_mode", Choice(("NORMal", "MAXimum", "RAW")), "NORM"),
        Command(":WAVeform:POINts?", lambda scope, call: scope.tree.replies.integer(scope.record_points())),
        Command(":WAVeform:POINts", _set_points, (Numeric(100, 1e9, integer=True),)),
        Command(":WAVeform:PREamble?", lambda scope, call: scope.preamble(call)),
        Command(":WAVeform:DATA?", lambda scope, call: scope.data(call)),
    ]


def _float(scope: SimulatedDSOX3024T, key: str) -> float:
    return float(scope.settings[key])


def _number(scope: SimulatedDSOX3024T, value: float) -> str:
    return scope.tree.replies.number(value)


def _set_timebase_range(scope: SimulatedDSOX3024T, call: Call) -> None:
    scope.settings["timebase_scale_s"] = call.number(0) / 10


def _set_channel_range(scope: SimulatedDSOX3024T, call: Call) -> None:
    scope.settings[f"scale_v/{call.suffixes['n']}"] = call.number(0) / 8


def _channel_range(scope: SimulatedDSOX3024T, call: Call) -> Reply:
    return _number(scope, 8 * _float(scope, f"scale_v/{call.suffixes['n']}"))


def _set_label(scope: SimulatedDSOX3024T, call: Call) -> None:
    """Labels keep their first 10 characters, in upper case."""
    scope.settings[f"label/{call.suffixes['n']}"] = str(call.arguments[0])[:_LABEL_CHARACTERS].upper()


def _set_points(scope: SimulatedDSOX3024T, call: Call) -> None:
    """Keep the points asked for; a record holds at most the memory depth, so ``:WAV:POIN?`` answers at most that
    (the scope transfers the points it has, with no error)."""
    scope.settings["waveform_points"] = call.number(0)


def _timebase_setup(scope: SimulatedDSOX3024T, call: Call) -> Reply:
    s = scope.settings
    return (
        f":TIM:MODE {s['timebase_mode']};REF {s['timebase_reference']};"
        f"MAIN:RANG {10 * _float(scope, 'timebase_scale_s'):+.2E};POS {_float(scope, 'timebase_position_s'):+.1E}"
    )


def _channel_setup(scope: SimulatedDSOX3024T, call: Call) -> Reply:
    n, s = call.suffixes["n"], scope.settings
    label = s[f"label/{n}"]
    return (
        f":CHAN{n}:RANG {8 * _float(scope, f'scale_v/{n}'):+.2E};OFFS {_float(scope, f'offset_v/{n}'):+.5E};"
        f"COUP {s[f'coupling/{n}']};IMP {s[f'impedance/{n}']};DISP {int(bool(s[f'display/{n}']))};"
        f'BWL {int(bool(s[f"bandwidth_limit/{n}"]))};INV {int(bool(s[f"invert/{n}"]))};LAB "{label}";UNIT VOLT;'
        f"PROB {_float(scope, f'probe/{n}'):+.2E};PROB:SKEW +0.00E+00;STYP SING"
    )


def _setup(scope: SimulatedDSOX3024T, call: Call) -> Reply:
    return definite_block(setup_blob(dict(scope.settings)), digits=BLOCK_LENGTH_DIGITS)


def _restore_setup(scope: SimulatedDSOX3024T, call: Call) -> None:
    blob = call.arguments[0]
    settings = read_setup(blob) if isinstance(blob, bytes) else None
    if settings is None or set(settings) != set(scope.settings):
        raise ScpiError(ILLEGAL_PARAMETER_VALUE)
    scope.settings.update(settings)


def _screen(scope: SimulatedDSOX3024T, call: Call) -> Reply:
    return definite_block(screen_png(grayscale=call.arguments[1] == "GRAY"), digits=BLOCK_LENGTH_DIGITS)
