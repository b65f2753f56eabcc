"""The engineers' pages: the week's schedule, receiving samples, starting a run, the equipment, and
utilisation."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.engineers.equipment import EquipmentPage
from api.pages.engineers.receiving import SampleReceiving
from api.pages.engineers.schedule import SchedulePage
from api.pages.engineers.starting import RunStarting
from api.pages.engineers.utilisation import UtilisationPage

__all__ = ["ENGINEER_PAGES"]

ENGINEER_PAGES: list[ControllerRouterHandler] = [
    SchedulePage,
    SampleReceiving,
    RunStarting,
    EquipmentPage,
    UtilisationPage,
]
