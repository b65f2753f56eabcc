"""Who a booking names: the applicant (printed on the certificate), the payer and the report recipient.

Each is the booking's own company, or a business identified by a valid 사업자등록번호 (the request models check the
number: :class:`~labsys.bookings.models.IdentifiedParty`). The company is stored as a reference, not a copy, so
that a correction of its record (:meth:`~labsys.companies.service.AccountService.correct_company`) reaches every
booking that names it, and an amended certificate prints the corrected record.
"""

from __future__ import annotations

from typing import Any

from labsys.bookings.models import Party
from labsys.companies.models import Company

__all__ = ["COMPANY_MARK", "resolved_party", "stored_party"]

#: The key of a stored party that stands for the booking's own company: ``{"booking_company": true, "contact": …}``.
COMPANY_MARK = "booking_company"


def stored_party(party: Party | None, company: Company) -> dict[str, Any]:
    """What a booking keeps of one party as requested: the company, when the party is left out or carries the
    company's registration number (its registered name and address then apply); otherwise the party as given."""
    if party is None:
        return {COMPANY_MARK: True, "contact": ""}
    if party.business_registration_number == company.business_registration_number:
        return {COMPANY_MARK: True, "contact": party.contact}
    return party.model_dump()


def resolved_party(stored: dict[str, Any], company: Company) -> Party:
    """A stored party as it reads today: the company's current record, or the business the booking named."""
    if stored.get(COMPANY_MARK) or not stored.get("name"):
        return Party(
            name=company.name,
            address=company.address,
            business_registration_number=company.business_registration_number,
            contact=str(stored.get("contact") or f"{company.contact_name} <{company.contact_email}>"),
        )
    return Party.model_validate(stored)
