"""One whole journey through the HTTP API on the demo lab: from registering a company to verifying its certificate.

The demo lab runs as ``labsys serve --demo`` runs it: the demo seed on the simulated bench, one station over a
real VISA stack executing the runs, and the API answering the people.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from instruments.sim import SimulatedBench
from labsys.certificates.keys import ensure_demo_keys
from labsys.db import Database
from labsys.demo import DEMO_PASSWORD, seed_demo
from labsys.demo.equipment import simulated_equipment
from labsys.settings import Settings
from labsys.stations.factory import build_station
from labsys.timeutil import lab_today
from tests.results.certificates.poppler import pdf_pages_text, poppler

#: The earliest slot lies a day ahead; the bench runs the test now, with the override.
EARLY = {"reason": "the journey runs the test now"}

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Client = TestClient[Litestar]
COMPANY = "(주)새빛정밀"


@pytest.fixture
def demo_lab(settings: Settings, db: Database) -> Iterator[Client]:
    """The demo lab on a fresh database: seeded, its bench and station running, its API answering."""
    with SimulatedBench.from_yaml(base_port=0) as bench:
        ensure_demo_keys(settings)
        with db.writing() as session:
            seed_demo(
                session, simulated_equipment(bench, station=settings.station_name, today=lab_today(settings.zone))
            )
        station = build_station(settings, db)
        station.poll_s = station.progress_interval_s = 0.1
        station.start()
        try:
            with TestClient(create_app(settings, db=db)) as client:
                yield client
        finally:
            station.stop()


def _login(client: Client, email: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    response = client.post("/api/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _wait_for_run(client: Client, run_id: int, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run = _ok(client.get(f"/api/runs/{run_id}", headers=headers))
        if run["status"] not in {"queued", "running"}:
            return dict(run)
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not end within 120 s")


def test_a_company_books_its_test_gets_a_signed_certificate_and_anyone_can_verify_it(
    demo_lab: Client, tmp_path: Path
) -> None:
    client = demo_lab
    # The SME registers and books the earliest slot of the diode test.
    registration = {
        "name": COMPANY,
        "business_registration_number": "101-81-00016",
        "address": "울산광역시 남구 산업로 7",
        "contact_name": "박서준",
        "contact_email": "seojun.park@saebit.example.com",
        "password": "saebit-password-1",
    }
    _ok(client.post("/api/companies", json=registration), 202)
    customer = _login(client, "seojun.park@saebit.example.com", "saebit-password-1")
    booking = _ok(
        client.post(
            "/api/bookings",
            headers=customer,
            json={
                "method": "DIODE-IV",
                "start": "earliest",
                "samples": [{"label": "SB-0042", "description": "1N4148 switching diode, DO-35", "quantity": 1}],
            },
        ),
        201,
    )
    assert booking["status"] == "quoted"
    assert booking["fee_krw"] == 180_000
    _ok(client.post(f"/api/bookings/{booking['id']}/confirm", headers=customer))
    # The lab receives the sample and an engineer runs the test on the bench.
    engineer = _login(client, "engineer@lab.example.com")
    sample_id = booking["samples"][0]["id"]
    receipt = {"samples": [{"sample_id": sample_id, "condition": "intact, in sealed antistatic bag"}]}
    _ok(client.post(f"/api/bookings/{booking['id']}/receive", headers=engineer, json=receipt))
    queued = _ok(
        client.post(
            "/api/runs", headers=engineer, json={"booking": booking["id"], "sample": sample_id, "early": EARLY}
        ),
        202,
    )
    run = _wait_for_run(client, queued["id"], customer)
    assert run["status"] == "completed", run["failure_reason"]
    assert run["verdict"] == "pass"
    assert set(run["metrics"]) >= {"saturation_current", "ideality_factor", "series_resistance"}
    data = client.get(f"/api/runs/{run['id']}/data", headers=customer)
    assert data.status_code == 200
    assert data.headers["x-content-sha256"] == run["hdf5_sha256"]
    # The engineer submits for review; the engineer cannot approve, a second person (the reviewer) does.
    _ok(client.post("/api/reviews", headers=engineer, json={"booking": booking["id"]}), 201)
    refused = client.post("/api/certificates", headers=engineer, json={"booking": booking["id"], "runs": [run["id"]]})
    assert refused.status_code == 403
    reviewer = _login(client, "reviewer@lab.example.com")
    certificate = _ok(
        client.post("/api/certificates", headers=reviewer, json={"booking": booking["id"], "runs": [run["id"]]}), 201
    )
    number = certificate["number"]
    # The SME downloads its certificate; the PDF is signed and says what it must.
    pdf = client.get(f"/api/certificates/{number}/pdf", headers=customer)
    assert pdf.status_code == 200
    signature = poppler("pdfsig", pdf=pdf.content)
    assert "Signature is Valid" in signature
    pages = pdf_pages_text(pdf.content)
    assert all(number in page for page in pages)
    assert COMPANY in "".join(pages)
    text = " ".join(" ".join(pages).split())
    # Each result with its budget; the points the SMU clamped are a deviation; the sweep drawn with its fit.
    assert "Uncertainty budgets" in text
    assert "Keithley 2450 current accuracy, gain" in text
    assert "junction temperature, stated ambient ± 1 K" in text
    assert "reached the current limit of 0.1 A (the SMU's clamp, not the diode) and were left out" in text
    assert "logarithmic scale against Voltage (V); points are measured, lines: fitted model" in text
    # Anyone verifies it: the public page, and the uploaded document itself.
    # Anyone holding it: the number with the code printed beside it, or the document itself; nobody without them.
    assert client.get(f"/verify/{number}").status_code == 404
    verification = _ok(client.get(f"/verify/{number}", params={"code": certificate["verification_code"]}))
    assert verification["status"] == "issued"
    assert verification["applicant"] == COMPANY
    assert verification["pdf_sha256"] == certificate["pdf_sha256"]
    check = _ok(client.post(f"/verify/{number}", content=pdf.content, headers={"Content-Type": "application/pdf"}))
    assert check["issued_document"] is True
    assert check["signature_valid"] is True
    booking_now = _ok(client.get(f"/api/bookings/{booking['id']}", headers=customer))
    assert booking_now["status"] == "reported"
