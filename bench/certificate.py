"""Benchmark test reports: render, sign, render+sign, and hash+check, each the median of several rounds.

Run: ``uv run python bench/certificate.py [--rounds N] [--runs R]``. The target for render+sign of a
three-run report with plots is under one second.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from results.certificates import check_signature, create_lab_pki, load_signer, render_report, sha256_bytes, sign_pdf
from results.certificates.specimen import specimen_report

TARGET_S = 1.0


def _median_seconds(action: Callable[[], object], rounds: int) -> float:
    action()  # warm-up: font registration, matplotlib's caches, pyHanko's first imports
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the median times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="runs (each with a plot) in the report")
    arguments = parser.parse_args()

    data = specimen_report(runs=arguments.runs)
    with tempfile.TemporaryDirectory() as directory:
        pki = create_lab_pki(Path(directory), "Benchmark Lab")
        signer = load_signer(pki.signing_key, pki.signing_certificate, pki.ca_certificate)
        pdf = render_report(data)
        signed = sign_pdf(pdf, signer)
        rounds = arguments.rounds
        render_s = _median_seconds(lambda: render_report(data), rounds)
        sign_s = _median_seconds(lambda: sign_pdf(pdf, signer), rounds)
        both_s = _median_seconds(lambda: sign_pdf(render_report(data), signer), rounds)
        check_s = _median_seconds(lambda: (sha256_bytes(signed), check_signature(signed, [pki.ca_certificate])), rounds)
        hash_s = _median_seconds(lambda: sha256_bytes(signed), rounds)

    verdict = "meets" if both_s < TARGET_S else "MISSES"
    print(f"test report: {arguments.runs} runs with plots, {len(signed) / 1024:.0f} KiB signed, median of {rounds}")
    print(f"  render + sign         {both_s * 1000:8.1f} ms  ({verdict} the {TARGET_S:.0f} s target)")
    print(f"  render alone          {render_s * 1000:8.1f} ms")
    print(f"  sign alone            {sign_s * 1000:8.1f} ms")
    print(f"  sha256_bytes alone    {hash_s * 1000:8.1f} ms")
    print(f"  hash + check          {check_s * 1000:8.1f} ms  (sha256_bytes + check_signature)")


if __name__ == "__main__":
    main()
