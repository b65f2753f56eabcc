"""One company's records of every kind, for tests that try them as everybody else: a booking with its sample, a
completed run with its data file, an issued certificate; and what in an answer would give them away."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from labsys.companies.models import User
from labsys.settings import Settings
from tests.labsys.certificates.factories import issue, make_reviewed_booking

__all__ = ["CompanyRecords", "make_company_records"]

#: A company name no other record of a test lab holds.
COMPANY_NAME = "(주)기밀소재 Confidential Materials"


@dataclass(frozen=True)
class CompanyRecords:
    """A company's records, its customer, and the engineer and reviewer who worked on them."""

    owner: User
    engineer: User
    reviewer: User
    company_id: int
    booking_id: int
    sample_id: int
    run_id: int
    certificate: str

    @property
    def markers(self) -> tuple[str, ...]:
        """Text only these records hold: in an answer to anybody but their company and the lab, a leak."""
        return (COMPANY_NAME, self.owner.email)

    @property
    def ids(self) -> dict[str, int | str]:
        """The records' ids by the JSON keys that name them in the lab's answers (an answer that echoes an id
        the caller sent, "certificate … not found", names it under no key)."""
        return {
            "number": self.certificate,
            "company_id": self.company_id,
            "booking_id": self.booking_id,
            "booking": self.booking_id,
            "sample_id": self.sample_id,
            "run_id": self.run_id,
            "run": self.run_id,
        }


def make_company_records(session: Session, settings: Settings) -> CompanyRecords:
    """A DIODE-IV booking of :data:`COMPANY_NAME`, reviewed, its certificate issued (the lab's keys made)."""
    reviewed = make_reviewed_booking(session, settings, company_name=COMPANY_NAME)
    certificate = issue(session, settings, reviewed)
    ready = reviewed.ready
    return CompanyRecords(
        owner=ready.customer,
        engineer=ready.engineer,
        reviewer=reviewed.reviewer,
        company_id=ready.company.id or 0,
        booking_id=ready.booking.id or 0,
        sample_id=ready.sample.id or 0,
        run_id=reviewed.run.id or 0,
        certificate=certificate.number,
    )
