"""Every table of the lab, imported in one place so the metadata (and Alembic) sees them all."""

from sqlmodel import SQLModel

from labsys.audit.models import AuditEvent, AuditHead
from labsys.bookings.models import Booking, Sample
from labsys.certificates.models import Certificate, CertificateRun
from labsys.companies.models import Company, User
from labsys.equipment.models import Instrument
from labsys.methods.models import TestMethod
from labsys.runs.models import Run, RunAnalysis, RunInstrument
from labsys.scheduling.models import Reservation

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Booking",
    "Certificate",
    "CertificateRun",
    "Company",
    "Instrument",
    "Reservation",
    "Run",
    "RunAnalysis",
    "RunInstrument",
    "SQLModel",
    "Sample",
    "TestMethod",
    "User",
    "metadata",
]

metadata = SQLModel.metadata
