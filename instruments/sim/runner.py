"""Running the simulated bench on its own, for ``labsys sim`` and for trying drivers by hand."""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from instruments.sim.bench import SimulatedBench
from instruments.sim.control import DEFAULT_CONTROL_PORT

__all__ = ["main", "run_bench_forever"]

log = logging.getLogger(__name__)


def run_bench_forever(
    config_path: Path | None = None,
    host: str = "127.0.0.1",
    base_port: int | None = None,
    *,
    control_port: int | None = DEFAULT_CONTROL_PORT,
    time_scale: float | None = None,
    announce: Callable[[str], None] = log.info,
    stop: threading.Event | None = None,
) -> None:
    """Serve a bench until interrupted (Ctrl-C) or until ``stop`` is set.

    Args:
        config_path: A bench description; None serves the demo bench.
        host: Address to listen on.
        base_port: None: the ports of the description; N: N, N+1, ... in description order.
        control_port: Where to take fault injections (127.0.0.1 only; 0: OS-picked; None: none), see
            :mod:`instruments.sim.control`.
        time_scale: Wall seconds per second of the instruments' time (1.0: real time); None: the description's.
        announce: Receives one line per instrument (asset tag, model, serial, resource), then the control port.
        stop: An event that ends serving when set (for callers that run this in a thread).
    """
    stop = stop or threading.Event()
    bench = SimulatedBench.from_yaml(
        config_path, host=host, base_port=base_port, control_port=control_port, time_scale=time_scale
    )
    with bench:
        announce(f"time: {bench.clock.time_scale:g} s on the wall clock per second of the instruments' time")
        for tag in bench.asset_tags:
            spec = bench.instrument_spec(tag)
            announce(f"{tag:<12} {spec.driver:<20} {spec.model:<12} {spec.serial:<12} {bench.resource(tag)}")
        if control_port is not None:
            announce(f"faults: labsys sim fault TAG KIND --control-port {bench.control_port} (127.0.0.1)")
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            announce("stopping the simulated bench")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m instruments.sim``: serve the bench until Ctrl-C. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m instruments.sim", description=main.__doc__)
    parser.add_argument("--config", type=Path, default=None, help="bench YAML (default: the demo bench)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=None)
    parser.add_argument("--control-port", type=int, default=DEFAULT_CONTROL_PORT, help="fault injection (127.0.0.1)")
    parser.add_argument(
        "--time-scale", type=float, default=None, help="wall s per instrument s (1: real time; default: the bench's)"
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    run_bench_forever(
        arguments.config,
        arguments.host,
        arguments.base_port,
        control_port=arguments.control_port,
        time_scale=arguments.time_scale,
    )
    return 0
