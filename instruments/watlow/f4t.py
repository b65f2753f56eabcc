"""Watlow F4T temperature controller, as fitted to the lab's temperature chambers.

The F4T speaks SCPI on TCP port 5025; control loop 1 holds the chamber air temperature. PyMeasure
has no F4T class, and its LakeShore and Temptronic classes address other hardware (cryostats,
thermal streams) with other commands.

The F4T's SCPI is a short list (F4T user's manual, appendix "Communications", and the chamber makers' manuals for
firmware 04.05 and later): the control loops' ``:SOURce:CLOop#:…`` commands and ``:UNIT:TEMPerature C|F``, which
sets the units of every temperature on the Ethernet interface. It lists no IEEE 488.2 status (``*CLS``, ``*OPC?``)
and no ``SYST:ERR?`` queue, so the lab neither clears nor reads one (the driver entry's ``status_reporting`` is
off), and it never assumes the units: :meth:`WatlowF4T.prepare` sets °C and reads the setting back. Some firmware
(or an older chamber maker's manual) says temperatures are °F only; on such a unit the read-back refuses to run.

One doubt kept on purpose: the manual does not list ``*IDN?`` either, yet the lab identifies every instrument by
it before use (the serial on the equipment record is checked against it). Whether every firmware answers it is not
confirmed here: a Tektronix example script for the F4T checks an identification string ("Watlow Electric"), while
ESPEC's SCPI library for the F4T never asks. If a unit does not answer, connecting fails with a timeout that names
the resource, never with the wrong chamber; if it answers with another manufacturer field than ``WATLOW``, the
driver entry's manufacturers (``instruments.drivers``) need it added.
"""

from __future__ import annotations

from typing import Any

from pymeasure.instruments import Instrument
from pymeasure.instruments.validators import strict_discrete_set, strict_range

from instruments.errors import InstrumentProtocolError

__all__ = ["CHAMBER_RANGE_C", "WatlowF4T"]

CHAMBER_RANGE_C = (-70.0, 180.0)
_CELSIUS = "C"


def _number(reply: Any) -> float:
    """Refuse a reply that is not a number (PyMeasure would hand back the text)."""
    if isinstance(reply, float | int):
        return float(reply)
    raise InstrumentProtocolError(f"expected a number, got {reply!r}")


class WatlowF4T(Instrument):  # type: ignore[misc]  # pymeasure is untyped
    """Watlow F4T controller of a temperature chamber (control loop 1, air temperature).

    .. code-block:: python

        chamber.temperature_setpoint = 85.0     # °C
        chamber.wait_until_stable(85.0, tolerance_c=0.2, timeout_s=1800)

    Args:
        adapter: A VISA resource string or a PyMeasure adapter.
        name: The name used in PyMeasure's log.
        **kwargs: Passed to :class:`pymeasure.instruments.Instrument`.
    """

    def __init__(self, adapter: Any, name: str = "Watlow F4T temperature chamber", **kwargs: Any) -> None:
        # Not SCPIMixin: its id, clear, status and check_errors use commands the F4T does not list.
        super().__init__(adapter, name, includeSCPI=False, **kwargs)

    def prepare(self) -> None:
        """Set the Ethernet interface's temperature units to °C and check that the controller took it.

        Raises:
            InstrumentProtocolError: The controller reports other units after being set to °C.
        """
        self.temperature_units = _CELSIUS
        if (units := self.temperature_units) != _CELSIUS:
            raise InstrumentProtocolError(f"the chamber reports temperatures in {units!r} after being set to °C")

    temperature_units = Instrument.control(
        ":UNIT:TEMPERATURE?",
        ":UNIT:TEMPERATURE %s",
        """Control the units of every temperature read or set over Ethernet: ``C`` (°C) or ``F`` (°F).""",
        validator=strict_discrete_set,
        values=["C", "F"],
        get_process=lambda reply: str(reply).strip().upper(),
    )

    temperature_setpoint = Instrument.control(
        ":SOUR:CLO1:SPO?",
        ":SOUR:CLO1:SPO %g",
        """Control the chamber setpoint in °C (-70 to 180).""",
        validator=strict_range,
        values=list(CHAMBER_RANGE_C),
        get_process=_number,
    )

    temperature = Instrument.measurement(
        ":SOUR:CLO1:PVAL?",
        """Measure the chamber air temperature in °C.""",
        get_process=_number,
    )

    def wait_until_stable(
        self,
        target_c: float,
        *,
        tolerance_c: float = 0.2,
        timeout_s: float = 600.0,
        poll_s: float = 0.05,
    ) -> float:
        """Wait until the chamber reads within ``tolerance_c`` of ``target_c``.

        Args:
            target_c: The temperature to reach, in °C.
            tolerance_c: How close counts as reached, in °C.
            timeout_s: How long to wait at most, in s.
            poll_s: Time between readings, in s.

        Returns:
            The last temperature read, in °C.

        Raises:
            TimeoutError: The chamber did not reach the target within ``timeout_s``.
        """
        import time  # noqa: PLC0415  # only this method sleeps

        deadline = time.monotonic() + timeout_s
        while True:
            reading = float(self.temperature)
            if abs(reading - target_c) <= tolerance_c:
                return reading
            if time.monotonic() >= deadline:
                raise TimeoutError(f"chamber at {reading:.2f} °C after {timeout_s} s, target {target_c} °C")
            time.sleep(poll_s)
