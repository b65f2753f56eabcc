"""Who is signed in: the account a request acts for, as every service sees it."""

from __future__ import annotations

from dataclasses import dataclass

from labsys.audit import Actor
from labsys.companies.models import STAFF_ROLES, Role, User
from labsys.errors import PermissionDenied

__all__ = ["Account"]


@dataclass(frozen=True)
class Account:
    """An active user as a request sees them: who, in which role, of which company, qualified for what."""

    id: int
    email: str
    name: str
    role: Role
    company_id: int | None
    qualifications: tuple[str, ...] = ()

    @classmethod
    def of(cls, user: User) -> Account:
        """The account of a stored user."""
        assert user.id is not None  # noqa: S101 - a stored user always has an id
        return cls(user.id, user.email, user.name, Role(user.role), user.company_id, tuple(user.qualifications))

    @property
    def is_staff(self) -> bool:
        """Whether the user is one of the lab's own people (sees every company's records)."""
        return self.role in STAFF_ROLES

    @property
    def company_scope(self) -> int | None:
        """The company whose records the user may see: their own, or None (every company) for staff.

        Raises:
            PermissionDenied: a customer account that belongs to no company (it may see nothing).
        """
        if self.is_staff:
            return None
        if self.company_id is None:
            raise PermissionDenied("your account belongs to no company")
        return self.company_id

    @property
    def actor(self) -> Actor:
        """The user as the audit trail names them."""
        return Actor(self.email, self.id)
