"""Two reviewers issuing at the same moment get two different numbers (PostgreSQL, real concurrency)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from labsys.audit import verify_chain
from labsys.certificates.models import CertificateCreate
from labsys.companies.accounts import Account
from labsys.settings import Settings
from tests.labsys.certificates.factories import ReviewedBooking, certificate_service, make_reviewed_booking

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def test_certificates_issued_at_the_same_moment_get_distinct_numbers(
    engine: Engine, session: Session, settings: Settings
) -> None:
    bookings = [make_reviewed_booking(session, settings) for _ in range(3)]
    session.commit()
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(bookings))

    def issue(reviewed: ReviewedBooking) -> None:
        service = certificate_service(session, settings)
        request = CertificateCreate(booking=reviewed.ready.booking.id or 0, runs=[reviewed.run.id or 0])
        try:
            start.wait()
            numbers.append(service.issue(request, by=Account.of(reviewed.reviewer)).number)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=issue, args=(b,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(numbers) == [f"LAB-{numbers[0][4:8]}-00000{i}" for i in (1, 2, 3)]
    assert all((settings.data_dir / "certificates" / f"{n}.pdf").is_file() for n in numbers)
    session.expire_all()
    assert verify_chain(session)[1] is None
