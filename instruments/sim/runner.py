"""Running the simulated bench on its own, for ``labsys sim`` and for trying drivers by hand."""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from instruments.sim.bench import SimulatedBench

__all__ = ["main", "run_bench_forever"]

log = logging.getLogger(__name__)


def run_bench_forever(
    config_path: Path | None = None,
    host: str = "127.0.0.1",
    base_port: int | None = None,
    *,
    announce: Callable[[str], None] = log.info,
    stop: threading.Event | None = None,
) -> None:
    """Serve a bench until interrupted (Ctrl-C) or until ``stop`` is set.

    Args:
        config_path: A bench description; None serves the demo bench.
        host: Address to listen on.
        base_port: None: the ports of the description; N: N, N+1, ... in description order.
        announce: Receives one line per instrument (asset tag, model, serial, resource).
        stop: An event that ends serving when set (for callers that run this in a thread).
    """
    stop = stop or threading.Event()
    with SimulatedBench.from_yaml(config_path, host=host, base_port=base_port) as bench:
        for tag in bench.asset_tags:
            spec = bench.instrument_spec(tag)
            announce(f"{tag:<12} {spec.driver:<20} {spec.model:<12} {spec.serial:<12} {bench.resource(tag)}")
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
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    run_bench_forever(arguments.config, arguments.host, arguments.base_port)
    return 0
