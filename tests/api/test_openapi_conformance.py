"""Schemathesis against the OpenAPI document the app serves, on a port the OS picked: every operation, signed in
as the admin and as a customer, with generated valid and invalid input, answers no server error and nothing the
document does not say (status, content type, headers, body schema).

The ids in paths are those of one company's real records (a booking, its run and data file, its certificate), so
that the answers that carry them (a booking, a run file, a signed PDF) are checked too; the customer is that
company's. Schemathesis runs as its command line (its pytest plugin does not load fixtures under this pytest),
bounded for CI: a few examples per operation, its coverage and fuzzing phases (no stateful one), a fixed seed, a
timeout per request and per run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from labsys.companies.models import User
from tests.api.records import CompanyRecords
from tests.api.servers import running_server
from tests.factories import PASSWORD, Lab

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: What must hold of every answer: no server error, and everything in it as the document says.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
#: Examples per operation and phase: enough to reach the statuses an operation documents, few enough for CI.
EXAMPLES = 6
#: Seconds any one request may take, and a whole run.
REQUEST_TIMEOUT = 5
RUN_TIMEOUT = 100

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")


@pytest.fixture
def served(app: Litestar) -> Iterator[str]:
    """The app's base URL, served over HTTP (its own test client stays closed: the two would share the app)."""
    with running_server(app) as url:
        yield url


def _bearer(url: str, user: User) -> str:
    answer = httpx.post(f"{url}/api/auth/token", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return f"Authorization: Bearer {answer.json()['access_token']}"


def _config(records: CompanyRecords, folder: Path) -> Path:
    """A ``schemathesis.toml`` that puts the company's record ids in the paths."""
    values = {
        "path.booking_id": records.booking_id,
        "path.run_id": records.run_id,
        "path.company_id": records.company_id,
        "path.user_id": records.owner.id,
        "path.number": f'"{records.certificate}"',
    }
    path = folder / "schemathesis.toml"
    path.write_text("[parameters]\n" + "".join(f'"{key}" = {value}\n' for key, value in values.items()))
    return path


@pytest.mark.parametrize("role", ["admin", "customer"])
def test_every_operation_answers_as_the_served_document_says(
    served: str, lab: Lab, company_records: CompanyRecords, role: str, tmp_path: Path
) -> None:
    user = lab.admin if role == "admin" else company_records.owner
    run = subprocess.run(  # our own virtual environment's Schemathesis, with fixed arguments
        [
            str(SCHEMATHESIS), "--config-file", str(_config(company_records, tmp_path)),
            "run", f"{served}/schema/openapi.json",
            "--checks", ",".join(CHECKS),
            "--phases", "coverage,fuzzing",
            "--max-examples", str(EXAMPLES),
            "--seed", "15",
            "--generation-database", "none",
            "--request-timeout", str(REQUEST_TIMEOUT),
            "--workers", "1",
            "--header", _bearer(served, user),
            "--no-color",
        ],
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
        cwd=tmp_path,  # where it keeps its cache of crashes
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )  # fmt: skip

    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    assert "0 failures" not in run.stdout  # a summary of passed cases, not of failures let through
    assert " passed" in run.stdout
