"""Certificate numbers: yearly sequences and amendments counted from the original."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from labsys.certificates.models import Certificate
from labsys.certificates.numbering import amendment_number, next_number, revision_of, root_number
from tests.labsys.runs.conftest import make_ready_booking


@pytest.mark.unit
def test_an_amendment_is_numbered_from_the_original_report() -> None:
    assert amendment_number("LAB-2026-000123") == "LAB-2026-000123-R1"
    assert amendment_number("LAB-2026-000123-R1") == "LAB-2026-000123-R2"
    assert amendment_number("LAB-2026-000123-R9") == "LAB-2026-000123-R10"
    assert root_number("LAB-2026-000123-R2") == "LAB-2026-000123"
    assert revision_of("LAB-2026-000123") == 0


@pytest.mark.integration
def test_the_sequence_continues_after_the_years_newest_original_and_ignores_amendments(session: Session) -> None:
    assert next_number(session, prefix="LAB", year=2026) == "LAB-2026-000001"
    ready = make_ready_booking(session)
    for number in ("LAB-2026-000007", "LAB-2026-000007-R1", "LAB-2025-000042", "XYZ-2026-000100"):
        session.add(
            Certificate(
                number=number,
                booking_id=ready.booking.id or 0,
                issued_by_id=ready.engineer.id or 0,
                pdf_path="",
                pdf_sha256="",
            )
        )
    session.flush()
    assert next_number(session, prefix="LAB", year=2026) == "LAB-2026-000008"
    assert next_number(session, prefix="LAB", year=2025) == "LAB-2025-000043"
    assert next_number(session, prefix="LAB", year=2027) == "LAB-2027-000001"
