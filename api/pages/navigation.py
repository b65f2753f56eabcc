"""What each person finds in the pages' navigation, by role."""

from __future__ import annotations

from api.pages.i18n import gettext as _
from labsys.companies.accounts import Account
from labsys.companies.models import Role

__all__ = ["navigation"]


def navigation(viewer: Account | None) -> list[tuple[str, str]]:
    """The ``(path, label)`` of each page in the navigation of ``viewer`` (a visitor: None)."""
    catalog = ("/methods", _("Test catalog"))
    if viewer is None:
        return [catalog, ("/register", _("Register"))]
    utilisation = ("/utilisation", _("Utilisation"))
    by_role = {
        Role.CUSTOMER: [("/bookings", _("My bookings")), catalog, ("/certificates", _("Reports"))],
        Role.ENGINEER: [
            ("/schedule", _("Schedule")),
            ("/runs", _("Runs")),
            ("/equipment", _("Equipment")),
            utilisation,
        ],
        Role.REVIEWER: [("/reviews", _("Reviews")), ("/certificates", _("Reports")), utilisation],
        Role.ADMIN: [
            ("/admin/users", _("Users")),
            ("/admin/equipment", _("Equipment")),
            ("/admin/methods", _("Test methods")),
            ("/admin/plan", _("Planner")),
            utilisation,
        ],
    }
    return by_role[viewer.role]
