"""A small SCPI device to test the command machinery on: two source channels, an output, a few settings."""

from __future__ import annotations

import pytest

from instruments.sim.scpi import (
    Boolean,
    Call,
    Choice,
    Command,
    CommandTree,
    Numeric,
    QuotedChoice,
    ScpiDevice,
    Setting,
    String,
    error_queries,
    ieee488_commands,
)


def _remember_name(device: ScpiDevice, call: Call) -> None:
    device.settings["name"] = str(call.arguments[0])


TREE: CommandTree[ScpiDevice] = CommandTree(
    [
        *ieee488_commands(),
        *error_queries(count=True, all_errors=True),
        Setting("[:SOURce<ch:1-2>]:VOLTage[:LEVel]", "level_v/{ch}", Numeric(-10, 10, unit="V", default=0.0), 0.0),
        Setting("[:SOURce<ch:1-2>]:CURRent[:LEVel]", "level_a/{ch}", Numeric(-1, 1, unit="A"), 0.0),
        Setting("[:SOURce<ch:1-2>]:FUNCtion", "shape/{ch}", Choice(("SINusoid", "SQUare")), "SIN"),
        Setting(":OUTPut<ch:1-2>[:STATe]", "output/{ch}", Boolean(), False),
        Setting(":WAVeform:POINts", "points", Numeric(100, 1e6, integer=True), 1000.0),
        Setting(":SENSe:FUNCtion", "function", QuotedChoice(("VOLTage[:DC]", "RESistance")), "VOLT:DC"),
        Command(":DISPlay:TEXT", _remember_name, (String(),)),
    ],
    defaults={"name": ""},
)


@pytest.fixture
def device() -> ScpiDevice:
    """A freshly powered-on device."""
    return ScpiDevice("ACME,MODEL 1,SN1,1.0", TREE)
