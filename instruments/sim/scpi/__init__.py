"""The SCPI side of a simulated instrument: a command tree per model, parameter types, replies, IEEE 488.2 status.

Headers match as real instruments match them: exactly the short or the long form of each node, case-insensitively
(``SOURce`` is ``SOUR`` or ``SOURCE``, never ``SOURCEXYZ``), optional nodes left out, numeric suffixes (1 where left
out), relative paths after ``;``. A refused command queues its SCPI error (``-113,"Undefined header"``,
``-222,"Data out of range"``, ...) and sets the matching status bit; it answers nothing, as real instruments do.
"""

from instruments.sim.scpi.common import STATUS_PRESET, error_queries, ieee488_commands
from instruments.sim.scpi.device import ScpiDevice
from instruments.sim.scpi.errors import (
    DATA_OUT_OF_RANGE,
    DATA_TYPE_ERROR,
    ILLEGAL_PARAMETER_VALUE,
    MISSING_PARAMETER,
    PARAMETER_NOT_ALLOWED,
    SETTINGS_CONFLICT,
    UNDEFINED_HEADER,
    ScpiError,
)
from instruments.sim.scpi.parameters import (
    Argument,
    BlockData,
    Boolean,
    Choice,
    Expressions,
    Name,
    Numeric,
    Parameter,
    QuotedChoice,
    String,
)
from instruments.sim.scpi.replies import OVERFLOW, ReplyFormat, definite_block, nr1, nr2, nr3, quoted
from instruments.sim.scpi.tree import Call, Command, CommandTree, Entry, Reply, Setting, SettingValue

__all__ = [
    "DATA_OUT_OF_RANGE",
    "DATA_TYPE_ERROR",
    "ILLEGAL_PARAMETER_VALUE",
    "MISSING_PARAMETER",
    "OVERFLOW",
    "PARAMETER_NOT_ALLOWED",
    "SETTINGS_CONFLICT",
    "STATUS_PRESET",
    "UNDEFINED_HEADER",
    "Argument",
    "BlockData",
    "Boolean",
    "Call",
    "Choice",
    "Command",
    "CommandTree",
    "Entry",
    "Expressions",
    "Name",
    "Numeric",
    "Parameter",
    "QuotedChoice",
    "Reply",
    "ReplyFormat",
    "ScpiDevice",
    "ScpiError",
    "Setting",
    "SettingValue",
    "String",
    "definite_block",
    "error_queries",
    "ieee488_commands",
    "nr1",
    "nr2",
    "nr3",
    "quoted",
]
