"""A booking as its form holds it: the values typed, before the booking service judges them.

The form names its fields flatly (``samples-0-label``, ``applicant-name``); a draft turns them into what
:class:`~labsys.bookings.models.BookingCreate` takes, and back into the form when it is shown again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from labsys.bookings.models import Urgency
from labsys.companies.models import CompanyPublic

__all__ = ["MAX_SAMPLE_ROWS", "PARTIES", "PARTY_FIELDS", "SAMPLE_FIELDS", "BookingDraft"]

#: The three parties of a Korean test request: who asks (printed on the report), who pays, who receives the report.
PARTIES = ("applicant", "payer", "report_recipient")
PARTY_FIELDS = ("name", "address", "business_registration_number", "contact")
SAMPLE_FIELDS = ("label", "description", "quantity")
#: The most sample rows a form holds (as many as a booking may name).
MAX_SAMPLE_ROWS = 100

_SAMPLE_KEY = re.compile(r"^samples-(\d{1,3})-(label|description|quantity)$")


def _blank_sample() -> dict[str, str]:
    return {"label": "", "description": "", "quantity": "1"}


def _is_blank(sample: Mapping[str, str]) -> bool:
    return not sample["label"] and not sample["description"] and sample["quantity"] in {"", "1"}


@dataclass(frozen=True)
class BookingDraft:
    """The values of a booking form, as text; ``parties`` maps each party to its fields."""

    method: str = ""
    samples: list[dict[str, str]] = field(default_factory=lambda: [_blank_sample()])
    urgency: str = Urgency.STANDARD.value
    parties: dict[str, dict[str, str]] = field(default_factory=dict)
    start: str = "earliest"
    note: str = ""

    @classmethod
    def for_company(cls, company: CompanyPublic, method: str) -> BookingDraft:
        """A new booking of ``method``, each party filled in as the company itself."""
        own = {
            "name": company.name,
            "address": company.address,
            "business_registration_number": company.business_registration_number,
            "contact": f"{company.contact_name} <{company.contact_email}>",
        }
        return cls(method=method, parties={role: dict(own) for role in PARTIES})

    @classmethod
    def posted(cls, data: Mapping[str, str]) -> BookingDraft:
        """The draft a form posted; sample rows left empty are dropped."""
        rows: dict[int, dict[str, str]] = {}
        for key, value in data.items():
            found = _SAMPLE_KEY.match(key)
            if found and int(found[1]) < MAX_SAMPLE_ROWS:
                rows.setdefault(int(found[1]), _blank_sample() | {"quantity": ""})[found[2]] = value.strip()
        samples = [row for _, row in sorted(rows.items()) if not _is_blank(row)]
        parties = {role: {name: data.get(f"{role}-{name}", "").strip() for name in PARTY_FIELDS} for role in PARTIES}
        return cls(
            method=data.get("method", "").strip(),
            samples=samples,
            urgency=data.get("urgency", Urgency.STANDARD.value),
            parties=parties,
            start=data.get("start", "earliest").strip() or "earliest",
            note=data.get("note", "").strip(),
        )

    def sample_rows(self) -> list[dict[str, str]]:
        """The sample rows the form shows: at least one."""
        return self.samples or [_blank_sample()]

    def request(self) -> dict[str, Any]:
        """What :class:`~labsys.bookings.models.BookingCreate` validates; a party left empty is the company."""
        samples = [{k: v for k, v in sample.items() if v or k != "quantity"} for sample in self.samples]
        parties = {role: values if any(values.values()) else None for role, values in self.parties.items()}
        return {
            "method": self.method,
            "samples": samples,
            "urgency": self.urgency,
            "note": self.note,
            "start": self.start,
            **parties,
        }

    def field_names(self) -> set[str]:
        """The names of the form's fields for this draft, which errors are shown next to."""
        names = {"method", "samples", "urgency", "note", "start"}
        names.update(f"samples-{i}-{name}" for i in range(len(self.samples)) for name in SAMPLE_FIELDS)
        names.update(f"{role}-{name}" for role in PARTIES for name in PARTY_FIELDS)
        return names

    def carried(self) -> list[tuple[str, str]]:
        """Every field of the draft but its start, as ``(name, value)``: the form that books the next free slot
        posts them again."""
        fields = [("method", self.method), ("urgency", self.urgency), ("note", self.note)]
        for i, sample in enumerate(self.samples):
            fields.extend((f"samples-{i}-{name}", sample[name]) for name in SAMPLE_FIELDS)
        for role, values in self.parties.items():
            fields.extend((f"{role}-{name}", values.get(name, "")) for name in PARTY_FIELDS)
        return fields
