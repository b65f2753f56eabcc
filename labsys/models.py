"""Every table of the lab, imported in one place so the metadata (and Alembic) sees them all."""

from sqlmodel import SQLModel

from labsys.audit.models import AuditEvent, AuditHead
from labsys.bookings.models import Booking, CalendarFeed, Sample
from labsys.certificates.models import Certificate, CertificateRun
from labsys.companies.models import Company, SignInFailure, User
from labsys.equipment.models import Instrument
from labsys.methods.models import TestMethod
from labsys.planning.models import PlanProposal
from labsys.runs.models import Run, RunAnalysis, RunInstrument
from labsys.scheduling.models import Reservation

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Booking",
    "CalendarFeed",
    "Certificate",
    "CertificateRun",
    "Company",
    "Instrument",
    "PlanProposal",
    "Reservation",
    "Run",
    "RunAnalysis",
    "RunInstrument",
    "SQLModel",
    "Sample",
    "SignInFailure",
    "TestMethod",
    "User",
    "metadata",
]

metadata = SQLModel.metadata
