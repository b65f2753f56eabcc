"""The lab's services, built once from the settings and the database: what the API and the pages call."""

from __future__ import annotations

from dataclasses import dataclass

from labsys.bookings.service import BookingService
from labsys.certificates.service import CertificateService, ReviewService
from labsys.companies.credentials import CredentialService
from labsys.companies.service import AccountService
from labsys.db import Database
from labsys.downtime import DowntimeService
from labsys.equipment.service import EquipmentService
from labsys.methods.service import MethodService
from labsys.planning.service import PlanningService
from labsys.runs.service import RunService
from labsys.scheduling import policy_for
from labsys.scheduling.engineer_time import EngineerTimeService
from labsys.settings import Settings
from labsys.utilisation.service import UtilisationService

__all__ = ["LabServices"]


@dataclass(frozen=True)
class LabServices:
    """One instance of each service, sharing the lab's database."""

    accounts: AccountService
    credentials: CredentialService
    methods: MethodService
    equipment: EquipmentService
    bookings: BookingService
    runs: RunService
    reviews: ReviewService
    certificates: CertificateService
    engineer_time: EngineerTimeService
    downtime: DowntimeService
    utilisation: UtilisationService
    plans: PlanningService

    @classmethod
    def build(cls, settings: Settings, db: Database) -> LabServices:
        """The services of the lab that ``settings`` describe, on ``db``."""
        return cls(
            accounts=AccountService(db),
            credentials=CredentialService(db),
            methods=MethodService(db),
            equipment=EquipmentService(db, settings.zone),
            bookings=BookingService(db, policy_for(settings)),
            runs=RunService(db, settings.data_dir, settings.zone),
            reviews=ReviewService(db),
            certificates=CertificateService(db, settings),
            engineer_time=EngineerTimeService(db),
            downtime=DowntimeService(db),
            utilisation=UtilisationService(db, policy_for(settings)),
            plans=PlanningService(db, policy_for(settings)),
        )
