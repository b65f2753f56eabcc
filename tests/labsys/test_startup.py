"""A command loads what it needs: ``labsys --help`` and the app's import leave the heavy libraries alone."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

#: What ``labsys --help`` has no use for: the database, the web framework, the instruments, analysis and reports.
_NOT_FOR_HELP = (
    "sqlalchemy", "sqlmodel", "litestar", "pydantic", "alembic", "argon2", "uvicorn", "numpy", "scipy",
    "matplotlib", "reportlab", "pyhanko", "h5py", "pymeasure", "pyvisa",
)  # fmt: skip
#: What serving requests has no use for until a certificate is rendered or a run is analysed.
_NOT_FOR_SERVING = ("scipy", "matplotlib", "reportlab", "pyhanko", "pymeasure", "pyvisa", "instruments.sim")


def _loaded_after(code: str) -> set[str]:
    program = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _heavy(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name in loaded or any(m.startswith(f"{name}.") for m in loaded))


def test_labsys_help_loads_none_of_the_heavy_libraries() -> None:
    loaded = _loaded_after(
        "from click.testing import CliRunner\nfrom labsys.cli import main\n"
        "result = CliRunner().invoke(main, ['--help'])\nassert result.exit_code == 0 and 'serve' in result.output"
    )
    assert _heavy(loaded, _NOT_FOR_HELP) == []


def test_the_app_starts_without_rendering_analysis_or_instrument_libraries() -> None:
    loaded = _loaded_after(
        "import os\nos.environ['LABSYS_DATABASE_URL'] = 'sqlite://'\n"
        "from api.app import create_app_from_environment\ncreate_app_from_environment()"
    )
    assert _heavy(loaded, _NOT_FOR_SERVING) == []
