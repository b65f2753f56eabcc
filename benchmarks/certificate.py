"""Benchmark test reports: render, sign, render+sign, and hash+check, each the median of several rounds; and the
public verification page ``GET /verify/{number}?code=…`` answered by the lab's app.

Run: ``uv run python benchmarks/certificate.py [--rounds N] [--runs R] [--requests Q]``. The target for render+sign of
a three-run report with plots is under one second; for the verification page, under 20 ms.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar.testing import TestClient
from sqlmodel import Session

from api.app import create_app
from labsys.audit import SYSTEM
from labsys.bookings.models import Booking, BookingStatus, Sample
from labsys.certificates.models import CertificateCreate
from labsys.companies.accounts import Account
from labsys.companies.models import CompanyRegistration, Role, UserCreate
from labsys.companies.passwords import hash_password
from labsys.companies.service import add_company, add_user
from labsys.db import Database, create_lab_engine
from labsys.demo.methods import DEMO_METHODS
from labsys.methods.service import add_method
from labsys.models import metadata
from labsys.runs.models import Run, RunStatus
from labsys.services import LabServices
from labsys.settings import load_settings
from results.certificates import check_signature, create_lab_pki, load_signer, render_report, sha256_bytes, sign_pdf
from results.certificates.specimen import specimen_report

TARGET_S = 1.0
VERIFY_TARGET_MS = 20.0
_PASSWORD = "benchmark lab password"  # noqa: S105 - a throwaway lab in a temporary folder


def _median_seconds(action: Callable[[], object], rounds: int) -> float:
    action()  # warm-up: font registration, matplotlib's caches, pyHanko's first imports
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _lab_with_one_certificate(directory: Path) -> tuple[Any, str, str, float]:
    """A lab app on a fresh SQLite file holding one certificate issued from a completed run; its number and
    verification code; issue ms."""
    settings = load_settings(data_dir=directory / "data", database_url=f"sqlite:///{directory / 'lab.sqlite3'}")
    db = Database(create_lab_engine(settings.resolved_database_url))
    metadata.create_all(db.engine)
    with db.writing() as session:
        booking_id, run_id, reviewer = _booking_in_review(session)
    services = LabServices.build(settings, db)
    start = time.perf_counter()
    certificate = services.certificates.issue(CertificateCreate(booking=booking_id, runs=[run_id]), by=reviewer)
    issue_ms = (time.perf_counter() - start) * 1000
    return create_app(settings, db=db), certificate.number, certificate.verification_code, issue_ms


def _booking_in_review(session: Session) -> tuple[int, int, Account]:
    """A company's DIODE-IV booking in review with one completed run; the booking, the run, and a reviewer."""
    method = add_method(session, next(m for m in DEMO_METHODS if m.code == "DIODE-IV"), SYSTEM)
    password_hash = hash_password(_PASSWORD)
    registration = CompanyRegistration(
        name="(주)한빛소재", business_registration_number="1248100998", address="경기도 안산시 단원구 산단로 123",
        contact_name="Kim", contact_email="kim@example.com", password=_PASSWORD,
    )  # fmt: skip
    company, customer = add_company(session, registration, password_hash)
    engineer, reviewer = (
        add_user(
            session,
            UserCreate(
                email=f"{role.value}@lab.example.com",
                name=role.value.title(),
                password=_PASSWORD,
                role=role,
                qualifications=qualifications,
            ),
            password_hash,
            SYSTEM,
        )
        for role, qualifications in ((Role.ENGINEER, ["smu"]), (Role.REVIEWER, ["DIODE-IV"]))
    )
    now = datetime.now(UTC)
    booking = Booking(
        company_id=company.id or 0, method_id=method.id or 0, method_version=1, requested_by_id=customer.id or 0,
        status=BookingStatus.IN_REVIEW, quantity=1, fee_krw=method.fee_krw,
    )  # fmt: skip
    session.add(booking)
    session.flush()
    sample = Sample(booking_id=booking.id or 0, label="S-1", description="1N4148 diode", received_at=now)
    session.add(sample)
    session.flush()
    metric = {"value": 1.52, "expanded_uncertainty": 0.02, "coverage_factor": 2.0, "units": "",
              "lower_limit": 1.0, "upper_limit": 2.0, "verdict": "pass"}  # fmt: skip
    run = Run(
        booking_id=booking.id or 0, sample_id=sample.id or 0, method_id=method.id or 0, engineer_id=engineer.id or 0,
        status=RunStatus.COMPLETED, started_at=now, finished_at=now, hdf5_sha256="ab" * 32,
        metrics={"ideality_factor": metric},
    )  # fmt: skip
    session.add(run)
    session.flush()
    return booking.id or 0, run.id or 0, Account.of(reviewer)


def median_verify_ms(requests: int) -> tuple[float, float]:
    """The median time of ``GET /verify/{number}?code=…`` answered by the app, and the time issuing took (both ms)."""
    with tempfile.TemporaryDirectory() as directory:
        app, number, code, issue_ms = _lab_with_one_certificate(Path(directory))
        address = f"/verify/{number}?code={code}"
        with TestClient(app) as client:
            assert client.get(address).status_code == 200  # noqa: S101 - a broken page is no benchmark
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                client.get(address)
                times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, issue_ms


def main() -> None:
    """Print the median times."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request would drown the figures
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="runs (each with a plot) in the report")
    parser.add_argument("--requests", type=int, default=200, help="GET /verify requests to time")
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

    verify_ms, issue_ms = median_verify_ms(arguments.requests)
    verdict = "meets" if verify_ms < VERIFY_TARGET_MS else "MISSES"
    print(f"lab app on SQLite: one certificate issued from a completed run in {issue_ms:.0f} ms (render, sign, store)")
    print(
        f"  GET /verify/{{number}}  {verify_ms:8.1f} ms  ({verdict} the {VERIFY_TARGET_MS:.0f} ms target; median of "
        f"{arguments.requests}, Litestar TestClient)"
    )


if __name__ == "__main__":
    main()
