"""``benchmarks/visa_waveform.py`` at a tiny size: it prints its figures, and the raw socket and the driver read the
same record. Not a timed test: the figures themselves are the machine's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration]

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "visa_waveform.py"
SIZES = (1_000, 2_000)
_SAME_BYTES = re.compile(
    r"same bytes: raw socket (?P<raw>[\d,]+) \(CRC-32 (?P<raw_crc>\w+)\), driver (?P<driver>[\d,]+) "
    r"\(CRC-32 (?P<driver_crc>\w+)\)"
)
_RATE = re.compile(r"^\s+(raw socket|driver)\s+median\s+[\d.]+ ms \([\d.]+–[\d.]+\)\s+[\d.]+ MB/s", re.MULTILINE)


@pytest.fixture(scope="module")
def printed() -> str:
    command = [sys.executable, str(BENCHMARK), "--points", ",".join(map(str, SIZES)), "--repeats", "2"]
    command += ["--warmup", "1"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def test_the_raw_socket_and_the_driver_read_the_same_bytes_of_each_record(printed: str) -> None:
    found = list(_SAME_BYTES.finditer(printed))
    assert [int(same["raw"].replace(",", "")) for same in found] == [points * 2 for points in SIZES]
    assert all(same["raw"] == same["driver"] and same["raw_crc"] == same["driver_crc"] for same in found)


def test_each_size_prints_medians_with_their_spread_and_the_ratio(printed: str) -> None:
    assert len(_RATE.findall(printed)) == 2 * len(SIZES)
    assert len(re.findall(r"driver/raw\s+\d+\.\d+x", printed)) == len(SIZES)
    assert re.search(r"target: driver >= 0\.8x the raw socket at every size: (met|NOT met)", printed)
