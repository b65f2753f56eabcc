"""The simulated bench: every instrument of a bench description served over TCP on loopback.

.. code-block:: python

    with SimulatedBench.from_yaml(base_port=0) as bench:     # the demo bench, OS-picked ports
        resource = bench.resource("SMU-01")                  # "TCPIP0::127.0.0.1::<port>::SOCKET"
        truth = bench.truth("SMU-01")                         # the diode on the SMU's fixture
        step = bench.circuit_truth("SCOPE-01")                # the RC network as the scope sees it

What a test compares a result to: :meth:`~SimulatedBench.truth` is the device under test itself (its R and C,
its Is, n and Rs, ...); :meth:`~SimulatedBench.temperature_c` its true temperature (a chamber's sensor reads it
with an error); :meth:`~SimulatedBench.circuit_truth` the RC network in its circuit, driven through the
generator's source resistance and loaded by the scope input, which is what a scope can measure. The instruments
themselves err within their datasheets (see :mod:`instruments.sim.unit_errors`), each unit with its own errors,
drawn from the bench seed: draw a bench with other devices and another seed with
:func:`instruments.sim.draw.draw_bench`.

The servers run on their own event loop in a background thread, so tests and procedures talk to
them through pyvisa exactly as to real instruments; each instrument executes its commands in a thread of its own,
so one instrument's work never delays another's replies.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from instruments.sim.clock import SimulatedClock
from instruments.sim.config import BenchSpec, InstrumentSpec, load_bench_spec
from instruments.sim.control_server import ControlServer
from instruments.sim.duts import DeviceUnderTest, InCircuitStep
from instruments.sim.faults import Fault
from instruments.sim.fixture import Fixture
from instruments.sim.instrument import SimulatedInstrument
from instruments.sim.models import SIMULATIONS
from instruments.sim.models.keysight_dsox3024t import SimulatedDSOX3024T
from instruments.sim.models.scope_record import ScopeRecord
from instruments.sim.server import InstrumentServer

__all__ = ["SimulatedBench"]

_T = TypeVar("_T")
_START_TIMEOUT_S = 10.0


class SimulatedBench:
    """A running (once started) simulated bench.

    Args:
        spec: The bench description.
        host: The address to listen on; loopback unless the bench must be reached from elsewhere.
        base_port: None: the ports of the description; 0: OS-picked ports (tests); N: N, N+1, ...
            in the order of the description.
        control_port: Where to take fault injections from other processes (see :mod:`instruments.sim.control`),
            always on 127.0.0.1; 0: an OS-picked port; None: no control port.
        time_scale: Wall seconds per second of the instruments' time; None: the description's ``time_scale``.

    Raises:
        ValueError: ``time_scale`` is not a number above 0.
    """

    def __init__(
        self,
        spec: BenchSpec,
        *,
        host: str = "127.0.0.1",
        base_port: int | None = None,
        control_port: int | None = None,
        time_scale: float | None = None,
    ) -> None:
        self.spec = spec
        self.clock = SimulatedClock(spec.time_scale if time_scale is None else time_scale)
        self.host = host
        self._base_port = base_port
        self._fixtures: dict[str, Fixture] = {}
        self._instruments: dict[str, SimulatedInstrument] = {}
        self._servers: dict[str, InstrumentServer] = {}
        self._control_port = control_port
        self._control = ControlServer(self._servers)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._build()

    @classmethod
    def from_yaml(
        cls,
        path: Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        base_port: int | None = None,
        control_port: int | None = None,
        time_scale: float | None = None,
    ) -> Self:
        """Build a bench from a YAML description; ``None`` is the demo bench shipped with labsys."""
        spec = load_bench_spec(Path(path) if path is not None else None)
        return cls(spec, host=host, base_port=base_port, control_port=control_port, time_scale=time_scale)

    def _build(self) -> None:
        on_fixture = {tag: fixture.name for fixture in self.spec.fixtures for tag in fixture.instruments}
        for fixture_spec in self.spec.fixtures:
            self._fixtures[fixture_spec.name] = Fixture(
                fixture_spec.name, fixture_spec.dut, self.spec.ambient_temperature_c
            )
        for index, instrument_spec in enumerate(self.spec.instruments):
            simulation = SIMULATIONS.get(instrument_spec.driver)
            if simulation is None:
                raise ValueError(f"{instrument_spec.asset_tag}: no simulation for driver {instrument_spec.driver!r}")
            fixture_name = on_fixture.get(instrument_spec.asset_tag)
            fixture = (
                self._fixtures[fixture_name]
                if fixture_name
                else Fixture("(none)", None, self.spec.ambient_temperature_c)
            )
            instrument = simulation(instrument_spec, fixture, (self.spec.seed, index), clock=self.clock)
            self._instruments[instrument_spec.asset_tag] = instrument
            self._servers[instrument_spec.asset_tag] = InstrumentServer(instrument)

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Self:
        """Open every instrument's port and serve in a background thread; returns the bench."""
        if self._thread is not None:
            return self
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="simulated-bench", daemon=True)
        self._thread.start()
        try:
            self._call(self._open_ports())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Close every port and connection and end the background thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            self._call(self._close_ports())
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=_START_TIMEOUT_S)
            loop.close()
            self._loop, self._thread = None, None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def _open_ports(self) -> None:
        for index, spec in enumerate(self.spec.instruments):
            await self._servers[spec.asset_tag].start(self.host, self._port_for(index, spec))
        if self._control_port is not None:
            await self._control.start("127.0.0.1", self._control_port)

    async def _close_ports(self) -> None:
        await self._control.stop()
        for server in self._servers.values():
            await server.stop()

    def _port_for(self, index: int, spec: InstrumentSpec) -> int:
        if self._base_port is None:
            return spec.port
        return 0 if self._base_port == 0 else self._base_port + index

    def _call(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        if self._loop is None:
            coroutine.close()
            raise RuntimeError("the bench is not started")
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=_START_TIMEOUT_S)

    # -- what tests and the lab ask --------------------------------------------------------------

    @property
    def asset_tags(self) -> tuple[str, ...]:
        """Get the asset tags of the bench's instruments, in the order of the description."""
        return tuple(spec.asset_tag for spec in self.spec.instruments)

    def instrument_spec(self, asset_tag: str) -> InstrumentSpec:
        """Get an instrument's entry in the description (driver, model, serial, ...)."""
        return self._instrument(asset_tag).spec

    def port(self, asset_tag: str) -> int:
        """Get the TCP port an instrument listens on (the bench must be started)."""
        self._instrument(asset_tag)
        return self._servers[asset_tag].port

    @property
    def control_port(self) -> int:
        """Get the port the bench takes fault injections on (see :mod:`instruments.sim.control`).

        Raises:
            RuntimeError: The bench is not started, or was built without a control port.
        """
        return self._control.port

    def resource(self, asset_tag: str) -> str:
        """Get the VISA resource string of an instrument, e.g. ``TCPIP0::127.0.0.1::5101::SOCKET``."""
        return f"TCPIP0::{self.host}::{self.port(asset_tag)}::SOCKET"

    def truth(self, name: str) -> DeviceUnderTest:
        """Get the true parameters of the DUT on a fixture, named by the fixture or an instrument on it.

        Raises:
            KeyError: No such fixture or instrument, or nothing is mounted.
        """
        fixture = self._fixture(name)
        if fixture.dut is None:
            raise KeyError(f"nothing is mounted on fixture {fixture.name!r}")
        return fixture.dut

    def circuit_truth(self, name: str) -> InCircuitStep:
        """Get the RC network on a fixture as its scope sees it, driven by the generator as it is set now.

        The time constant ``((R + Rs) ∥ R_in) × (C + C_in)`` and the final level ``EMF × R_in / (R + Rs + R_in)``
        of the loaded circuit (generator source resistance Rs, scope input R_in ∥ C_in, each this bench's own
        units' values), which is what a step response measured on the scope should find; ``truth(...)`` stays the
        network alone (``R × C``).

        Args:
            name: The fixture, or an instrument on it (e.g. ``"SCOPE-01"``).

        Raises:
            KeyError: No such fixture or instrument, no scope on the fixture, or no RC network on it.
        """
        fixture = self._fixture(name)
        for instrument in self._instruments.values():
            if instrument.fixture is fixture and isinstance(instrument, SimulatedDSOX3024T):
                circuit = instrument.circuit()
                if circuit is not None:
                    return circuit
        raise KeyError(f"no scope probing an RC network on fixture {fixture.name!r}")

    def temperature_c(self, name: str) -> float:
        """Get the true temperature of a fixture's DUT now, in °C (fixture or instrument name)."""
        return self._fixture(name).temperature_c()

    def last_waveform(self, asset_tag: str) -> ScopeRecord:
        """Get the record a scope last prepared for transfer (raw codes, scale and offset).

        Raises:
            KeyError: The instrument is not a scope or has sent no waveform yet.
        """
        scope = self._instrument(asset_tag)
        if not isinstance(scope, SimulatedDSOX3024T) or scope.last_record is None:
            raise KeyError(f"{asset_tag} has no waveform")
        return scope.last_record

    def inject(self, asset_tag: str, fault: Fault, *, delay_s: float | None = None) -> None:
        """Make an instrument misbehave (see :class:`~instruments.sim.faults.Fault`).

        Args:
            asset_tag: The instrument.
            fault: What it does wrong.
            delay_s: How late its replies come under ``Fault.LATE_REPLY``, in s (default
                :data:`~instruments.sim.faults.LATE_REPLY_S`).
        """
        self._instrument(asset_tag)
        server = self._servers[asset_tag]
        if self._loop is None:
            server.instrument.inject(fault, delay_s=delay_s)
        else:
            self._call(server.inject(fault, delay_s=delay_s))

    def clear_faults(self, asset_tag: str) -> None:
        """Make an instrument behave again (a port that refused connections listens again)."""
        self._instrument(asset_tag)
        server = self._servers[asset_tag]
        if self._loop is None:
            server.instrument.clear_faults()
        else:
            self._call(server.clear_faults())

    def _instrument(self, asset_tag: str) -> SimulatedInstrument:
        try:
            return self._instruments[asset_tag]
        except KeyError:
            raise KeyError(f"no instrument {asset_tag!r} on the bench; there are {list(self._instruments)}") from None

    def _fixture(self, name: str) -> Fixture:
        if name in self._fixtures:
            return self._fixtures[name]
        return self._instrument(name).fixture
