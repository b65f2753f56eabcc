"""The Keithley 2450's SCPI commands, as its reference manual (section 6) lists them, for the simulated 2450.

Each handler is the model's (:class:`~instruments.sim.models.keithley2450.SimulatedKeithley2450`); the settings keep
the values the physics reads. ``:SENSe1`` may be left out, ``SOURce1`` and ``OUTPut1`` may be written with or
without their suffix; the measure function is a string (``:SENS:FUNC "CURR"``), answered with its optional node
(``"CURR:DC"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from instruments.sim.models.reading_buffer import check_buffer_name
from instruments.sim.scpi import (
    STATUS_PRESET,
    Boolean,
    Call,
    Choice,
    Command,
    Entry,
    Numeric,
    QuotedChoice,
    Reply,
    Setting,
    String,
    error_queries,
    ieee488_commands,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from instruments.sim.models.keithley2450 import SimulatedKeithley2450

    Handler = Callable[[SimulatedKeithley2450, Call], Reply | None]

__all__ = ["smu_commands"]

_SENSE = "[:SENSe<1>]"
_SOURCE = ":SOURce<1>"
_SENSE_FUNCTIONS = {"VOLT": "VOLTage[:DC]", "CURR": "CURRent[:DC]", "RES": "RESistance"}
_SOURCE_FUNCTIONS = {"VOLT": "VOLTage", "CURR": "CURRent"}
_BUFFER = String(optional=True, check=check_buffer_name)
_ELEMENTS = Choice(
    (
        "DATE",
        "FORMatted",
        "FRACtional",
        "READing",
        "RELative",
        "SEConds",
        "SOURce",
        "SOURFORMatted",
        "SOURSTATus",
        "SOURUNIT",
        "STATus",
        "TIME",
        "TSTamp",
        "UNIT",
    ),
    optional=True,
)
_OUTPUT_OFF = Choice(("HIMPedance", "NORMal", "ZERO", "GUARd"))
_STATISTICS = {"AVERage": "average", "MAXimum": "maximum", "MINimum": "minimum", "STDDev": "stddev"}


def smu_commands() -> list[Entry[SimulatedKeithley2450]]:
    """Get every command of the simulated 2450."""
    return [
        *ieee488_commands(),
        *error_queries(count=True, all_errors=True),
        STATUS_PRESET,
        *_source_commands(),
        *_sense_commands(),
        Setting(":OUTPut<1>[:STATe]", "output", Boolean(), False),
        *_output_off_states(),
        Command(":READ?", _read, (_BUFFER, _ELEMENTS), repeat_last=True),
        *[
            Command(f":MEASure:{header}?", _measure(function), (_BUFFER, _ELEMENTS), repeat_last=True)
            for function, header in _SENSE_FUNCTIONS.items()
        ],
        *_buffer_commands(),
        Command(":ABORt", _nothing),
        Command(":INITiate[:IMMediate]", _nothing),
        Command("*TRG", _nothing),
        Setting(":FORMat[:DATA]", "data_format", Choice(("ASCii", "REAL", "SREal")), "ASC"),
        Setting(":ROUTe:TERMinals", "terminals", Choice(("FRONt", "REAR")), "FRON"),
        Command(
            ":SYSTem:BEEPer[:IMMediate]",
            _nothing,
            (Numeric(20.0, 8000.0, unit="HZ"), Numeric(0.001, 100.0, unit="S")),
        ),
    ]


def _output_off_states() -> list[Entry[SimulatedKeithley2450]]:
    return [
        Setting(f":OUTPut<1>:{header}:SMODe", f"output_off_{function}", _OUTPUT_OFF, "NORM")
        for function, header in _SOURCE_FUNCTIONS.items()
    ]


def _source_commands() -> list[Entry[SimulatedKeithley2450]]:
    entries: list[Entry[SimulatedKeithley2450]] = [
        Setting(f"{_SOURCE}:FUNCtion[:MODE]", "source_function", Choice(tuple(_SOURCE_FUNCTIONS.values())), "VOLT"),
        Setting(
            f"{_SOURCE}:VOLTage[:LEVel][:IMMediate][:AMPLitude]",
            "source_voltage_v",
            Numeric(-210.0, 210.0, unit="V", default=0.0),
            0.0,
        ),
        Setting(
            f"{_SOURCE}:CURRent[:LEVel][:IMMediate][:AMPLitude]",
            "source_current_a",
            Numeric(-1.05, 1.05, unit="A", default=0.0),
            0.0,
        ),
        Setting(
            f"{_SOURCE}:VOLTage:ILIMit[:LEVel]",
            "current_limit_a",
            Numeric(1e-9, 1.05, unit="A", default=1.05e-4),
            1.05e-4,
        ),
        Setting(
            f"{_SOURCE}:CURRent:VLIMit[:LEVel]", "voltage_limit_v", Numeric(0.02, 210.0, unit="V", default=21.0), 21.0
        ),
    ]
    for function, header in _SOURCE_FUNCTIONS.items():
        top, unit = (210.0, "V") if function == "VOLT" else (1.05, "A")
        key = f"source_{function}_range"
        entries += [
            Setting(f"{_SOURCE}:{header}:RANGe", key, Numeric(0.0, top, unit=unit), top, query_only=True),
            Command(
                f"{_SOURCE}:{header}:RANGe",
                _set_range(key),
                (Numeric(-top, top, unit=unit, keywords={"MINimum": 0.0}),),
            ),
            Setting(f"{_SOURCE}:{header}:RANGe:AUTO", f"{key}_auto", Boolean(), True),
            Setting(f"{_SOURCE}:{header}:READ:BACK", f"source_{function}_readback", Boolean(), True),
            Setting(f"{_SOURCE}:{header}:DELay", f"source_{function}_delay_s", Numeric(0, 1e4), 0.0, query_only=True),
            Command(f"{_SOURCE}:{header}:DELay", _set_delay(function), (Numeric(0.0, 1e4, unit="S"),)),
            Setting(f"{_SOURCE}:{header}:DELay:AUTO", f"source_{function}_delay_auto", Boolean(), True),
        ]
    return entries


def _sense_commands() -> list[Entry[SimulatedKeithley2450]]:
    entries: list[Entry[SimulatedKeithley2450]] = [
        Setting(f"{_SENSE}:FUNCtion[:ON]", "sense_function", QuotedChoice(tuple(_SENSE_FUNCTIONS.values())), "CURR:DC")
    ]
    for function, header in _SENSE_FUNCTIONS.items():
        top = {"VOLT": 210.0, "CURR": 1.05, "RES": 210e6}[function]
        key = f"{function}_range"
        entries += [
            Setting(f"{_SENSE}:{header}:NPLCycles", f"{function}_nplc", Numeric(0.01, 10.0, default=1.0), 1.0),
            Setting(f"{_SENSE}:{header}:RANGe[:UPPer]", key, Numeric(0.0, top), top, query_only=True),
            Command(
                f"{_SENSE}:{header}:RANGe[:UPPer]", _set_range(key), (Numeric(-top, top, keywords={"MINimum": 0.0}),)
            ),
            Setting(f"{_SENSE}:{header}:RANGe:AUTO", f"{key}_auto", Boolean(), True),
            Setting(f"{_SENSE}:{header}:RSENse", f"{function}_remote_sense", Boolean(), False),
            Setting(f"{_SENSE}:{header}:AVERage[:STATe]", f"{function}_average", Boolean(), False),
            Setting(
                f"{_SENSE}:{header}:AVERage:TCONtrol", f"{function}_average_type", Choice(("REPeat", "MOVing")), "REP"
            ),
            Setting(
                f"{_SENSE}:{header}:AVERage:COUNt", f"{function}_average_count", Numeric(1, 100, integer=True), 10.0
            ),
        ]
    return entries


def _buffer_commands() -> list[Entry[SimulatedKeithley2450]]:
    index = Numeric(1, 6_875_000, integer=True)
    return [
        Command(":TRACe:CLEar", _clear_buffer, (_BUFFER,)),
        Command(":TRACe:POINts", _resize_buffer, (index, _BUFFER)),
        Command(":TRACe:POINts?", _buffer_size, (_BUFFER,)),
        Command(":TRACe:ACTual?", _buffer_count, (_BUFFER,)),
        *[
            Command(f":TRACe:STATistics:{header}?", _statistic(name), (_BUFFER,))
            for header, name in _STATISTICS.items()
        ],
        Command(":TRACe:DATA?", _buffer_data, (index, index, _BUFFER, _ELEMENTS), repeat_last=True),
    ]


def _read(smu: SimulatedKeithley2450, call: Call) -> Reply:
    return smu.read(call)


def _measure(function: str) -> Handler:
    def measure(smu: SimulatedKeithley2450, call: Call) -> Reply:
        return smu.measure(call, function)

    return measure


def _set_range(key: str) -> Handler:
    def set_range(smu: SimulatedKeithley2450, call: Call) -> None:
        smu.set_range(call, key)

    return set_range


def _set_delay(function: str) -> Handler:
    def set_delay(smu: SimulatedKeithley2450, call: Call) -> None:
        smu.set_delay(call, function)

    return set_delay


def _statistic(name: str) -> Handler:
    def statistic(smu: SimulatedKeithley2450, call: Call) -> Reply:
        return smu.buffer_statistic(call, name)

    return statistic


def _clear_buffer(smu: SimulatedKeithley2450, call: Call) -> None:
    smu.clear_buffer(call)


def _resize_buffer(smu: SimulatedKeithley2450, call: Call) -> None:
    smu.resize_buffer(call)


def _buffer_size(smu: SimulatedKeithley2450, call: Call) -> Reply:
    return smu.buffer_size(call)


def _buffer_count(smu: SimulatedKeithley2450, call: Call) -> Reply:
    return smu.buffer_count(call)


def _buffer_data(smu: SimulatedKeithley2450, call: Call) -> Reply:
    return smu.buffer_data(call)


def _nothing(smu: SimulatedKeithley2450, call: Call) -> None:
    """A command with no effect the bench can see (an abort or trigger with nothing pending, a beep)."""
