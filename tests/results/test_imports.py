"""What importing a part of results loads: the run-file store and the data models leave the heavy libraries alone.

A service that lists runs or reads a preview must not wait for scipy; one that lists certificates must not wait
for reportlab, matplotlib or pyHanko. Each check imports in a fresh interpreter, because this test session has
long since imported everything. That the heavy functions still work once called is what their own tests show.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]

ANALYSIS_LIBRARIES = ("scipy",)
REPORT_LIBRARIES = ("matplotlib", "reportlab", "qrcode", "pyhanko", "pyhanko_certvalidator")
KEY_LIBRARIES = ("cryptography",)


def loaded_after(statement: str, libraries: Sequence[str]) -> list[str]:
    """Run ``statement`` in a fresh interpreter and answer which of ``libraries`` it left in ``sys.modules``."""
    report = f"print(json.dumps([name for name in {list(libraries)!r} if name in sys.modules]))"
    script = f"import json, sys\n{statement}\n{report}"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize(
    "statement",
    [
        "import results.hdf5",
        "from results.hdf5 import RunFileWriter, open_run, preview, read_column, read_waveform",
        "from results.hdf5.process import write_analysis_group",
    ],
)
def test_reading_and_writing_run_files_loads_neither_scipy_nor_report_libraries(statement: str) -> None:
    assert loaded_after(statement, ANALYSIS_LIBRARIES + REPORT_LIBRARIES) == []


def test_the_analysis_data_model_and_decision_rules_load_no_scipy() -> None:
    statement = "from results.analysis import Assessment, DecisionRule, Metric, SpecLimits, Verdict, assess"

    assert loaded_after(statement, ANALYSIS_LIBRARIES) == []


def test_importing_an_analysis_waits_for_scipy_until_it_runs() -> None:
    statement = (
        "from results.analysis import capacitor_lcr, fit_diode_iv, four_wire_resistance, step_response,"
        " step_response_of"
    )

    assert loaded_after(statement, ANALYSIS_LIBRARIES) == []


@pytest.mark.parametrize(
    "statement",
    [
        "import results.certificates",
        "from results.certificates import *",
        "from results.certificates.model import ReportData",
    ],
)
def test_the_certificate_data_and_functions_load_no_rendering_signing_or_key_library(statement: str) -> None:
    assert loaded_after(statement, ANALYSIS_LIBRARIES + REPORT_LIBRARIES + KEY_LIBRARIES) == []


def test_the_certificate_data_model_loads_no_numpy() -> None:
    assert loaded_after("import results.certificates", ("numpy",)) == []
