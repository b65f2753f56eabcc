"""The simulated bench: SCPI instruments over TCP with physical models of devices under test.

Runtime code never imports this package; tests, benchmarks and ``labsys sim`` do.
"""

from instruments.sim.bench import SimulatedBench
from instruments.sim.config import BenchConfigError, BenchSpec, FixtureSpec, InstrumentSpec, load_bench_spec
from instruments.sim.control import DEFAULT_CONTROL_PORT, BenchControl, BenchUnreachable, ControlError, parse_fault
from instruments.sim.draw import draw_bench
from instruments.sim.duts import Capacitor, Diode, InCircuitStep, RCNetwork, Resistor, SquareDrive
from instruments.sim.faults import Fault
from instruments.sim.models.scope_record import ScopeRecord
from instruments.sim.runner import main, run_bench_forever

__all__ = [
    "DEFAULT_CONTROL_PORT",
    "BenchConfigError",
    "BenchControl",
    "BenchSpec",
    "BenchUnreachable",
    "Capacitor",
    "ControlError",
    "Diode",
    "Fault",
    "FixtureSpec",
    "InCircuitStep",
    "InstrumentSpec",
    "RCNetwork",
    "Resistor",
    "ScopeRecord",
    "SimulatedBench",
    "SquareDrive",
    "draw_bench",
    "load_bench_spec",
    "main",
    "parse_fault",
    "run_bench_forever",
]
