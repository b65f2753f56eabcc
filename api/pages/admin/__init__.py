"""The admin's pages: users and their qualifications, the lab's equipment and its downtime, the catalog of test
methods, and the planner."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.admin.downtime import DowntimePages
from api.pages.admin.engineer_time import EngineerTimePages
from api.pages.admin.equipment import EquipmentPages
from api.pages.admin.methods import MethodPages
from api.pages.admin.plans import PlanPages
from api.pages.admin.users import UserPages

__all__ = ["ADMIN_PAGES"]

ADMIN_PAGES: list[ControllerRouterHandler] = [
    UserPages,
    EngineerTimePages,
    EquipmentPages,
    DowntimePages,
    MethodPages,
    PlanPages,
]
