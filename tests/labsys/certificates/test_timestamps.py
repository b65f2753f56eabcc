"""A lab with a timestamp authority (LABSYS_TSA_URL) issues reports whose signature carries its timestamp; one
without issues them signed with its own clock, as before; an authority that does not answer issues nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from labsys.certificates.keys import lab_key_paths
from labsys.certificates.models import Certificate
from labsys.errors import Unavailable
from labsys.settings import Settings, load_settings
from results.certificates import check_signature
from tests.labsys.certificates.factories import ReviewedBooking, certificate_service, issue, make_reviewed_booking
from tests.timestamp_authority import LocalTsa, local_tsa

pytestmark = pytest.mark.integration

STAMPED = dt.datetime(2026, 3, 2, 1, 23, 45, tzinfo=dt.UTC)


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[LocalTsa]:
    with local_tsa(tmp_path, STAMPED) as running:
        yield running


def _with_tsa(settings: Settings, url: str) -> Settings:
    return load_settings(**{**settings.model_dump(exclude_unset=True), "tsa_url": url})


def _signature(settings: Settings, certificate: Certificate) -> tuple[bool, dt.datetime | None]:
    pdf = (settings.data_dir / certificate.pdf_path).read_bytes()
    check = check_signature(pdf, [lab_key_paths(settings).ca_certificate])
    return check.ok, check.timestamped_at


def test_a_lab_with_a_timestamp_authority_issues_reports_it_timestamped(
    session: Session, settings: Settings, tsa: LocalTsa
) -> None:
    stamped = _with_tsa(settings, tsa.url)
    reviewed = make_reviewed_booking(session, stamped)

    certificate = issue(session, stamped, reviewed)

    assert _signature(stamped, certificate) == (True, STAMPED)
    pdf = (stamped.data_dir / certificate.pdf_path).read_bytes()
    found = certificate_service(session, stamped).check_document(certificate.number, pdf)  # what /verify answers
    assert (found.authentic, found.timestamped_at) == (True, STAMPED)


def test_a_lab_without_one_signs_with_its_own_clock(session: Session, settings: Settings) -> None:
    certificate = issue(session, settings, make_reviewed_booking(session, settings))
    assert _signature(settings, certificate) == (True, None)


def test_an_authority_that_does_not_answer_issues_nothing_and_says_so(
    session: Session, settings: Settings, tmp_path: Path
) -> None:
    with local_tsa(tmp_path, STAMPED) as stopped:
        url = stopped.url
    stamped = _with_tsa(settings, url)
    reviewed: ReviewedBooking = make_reviewed_booking(session, stamped)

    with pytest.raises(Unavailable, match=f"the timestamp authority at {url} gave no timestamp"):
        issue(session, stamped, reviewed)

    session.rollback()
    assert session.exec(select(Certificate)).all() == []
