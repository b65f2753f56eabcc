"""What the app holds for its lifetime, and the services handlers receive by name.

A handler asks for a service as a parameter (``booking_service: Bookings``) and never sees a database session:
each service call is its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

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
from labsys.scheduling.engineer_time import EngineerTimeService
from labsys.services import LabServices
from labsys.settings import Settings
from labsys.utilisation.service import UtilisationService

__all__ = [
    "Accounts",
    "Bookings",
    "Certificates",
    "Credentials",
    "Downtimes",
    "EngineerTime",
    "Equipment",
    "LabSettings",
    "LabState",
    "Methods",
    "Plans",
    "Reviews",
    "Runs",
    "Utilisation",
    "lab_state",
    "service_dependencies",
]

# A handler's parameter of one of these types receives that service: ``booking_service: Bookings``.
Accounts = NamedDependency[AccountService]
Credentials = NamedDependency[CredentialService]
Methods = NamedDependency[MethodService]
Equipment = NamedDependency[EquipmentService]
Bookings = NamedDependency[BookingService]
Runs = NamedDependency[RunService]
Reviews = NamedDependency[ReviewService]
Certificates = NamedDependency[CertificateService]
EngineerTime = NamedDependency[EngineerTimeService]
Downtimes = NamedDependency[DowntimeService]
Utilisation = NamedDependency[UtilisationService]
Plans = NamedDependency[PlanningService]
LabSettings = NamedDependency[Settings]


@dataclass(frozen=True)
class LabState:
    """The settings, the database and the services of a running app."""

    settings: Settings
    db: Database
    services: LabServices


def lab_state(state: State) -> LabState:
    """The app's :class:`LabState`."""
    lab: LabState = state["lab"]
    return lab


def _provider(name: str) -> Provide:
    def provide(state: State) -> Any:
        return getattr(lab_state(state).services, name)

    return Provide(provide, sync_to_thread=False)


def _parameter(service: str) -> str:
    # Named apart from any field of a request body: Litestar takes a body error on a field that shares a
    # dependency's name for a fault of the dependency, and answers 500 instead of 422.
    return f"{service.removesuffix('s')}_service"


def _settings(state: State) -> Settings:
    return lab_state(state).settings


#: Every service by the parameter name handlers use for it, and the settings.
service_dependencies: dict[str, Provide] = {
    **{_parameter(name): _provider(name) for name in LabServices.__dataclass_fields__},
    "settings": Provide(_settings, sync_to_thread=False),
}
