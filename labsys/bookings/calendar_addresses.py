"""Each user's secret calendar address, which a calendar application subscribes to without signing in.

The address carries 256 random bits (:func:`secrets.token_urlsafe`); the lab keeps only their SHA-256, so the
address is shown once, when it is made, and a copy of the database does not reveal it. A high-entropy secret needs
no slow hash: nobody can guess it, only look it up. A new address replaces the user's old one, which then answers
404 like any unknown address.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.bookings.models import CalendarFeed
from labsys.companies.accounts import Account
from labsys.companies.models import User

__all__ = ["account_of_secret", "feed_url", "forget_address", "made_at", "new_address"]

#: The bytes of randomness in a secret (43 URL-safe characters).
SECRET_BYTES = 32


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_url(public_url: str, secret: str) -> str:
    """The address a calendar application subscribes to."""
    return f"{public_url.rstrip('/')}/calendar/{secret}.ics"


def new_address(session: Session, *, user_id: int, actor: Actor, now: datetime) -> tuple[str, datetime]:
    """Make the user's new secret (replacing any old one) and return it with its time; audited without it."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    replaced = _forget(session, user_id)
    session.add(CalendarFeed(user_id=user_id, secret_sha256=_digest(secret), created_at=now))
    action = "calendar_address.replaced" if replaced else "calendar_address.created"
    record(session, actor=actor, action=action, entity_type="user", entity_id=user_id, after={"created_at": now})
    return secret, now


def forget_address(session: Session, *, user_id: int, actor: Actor) -> None:
    """Stop the user's secret address from working (nothing happens if they have none)."""
    if _forget(session, user_id):
        record(session, actor=actor, action="calendar_address.revoked", entity_type="user", entity_id=user_id)


def _forget(session: Session, user_id: int) -> bool:
    feed = session.exec(select(CalendarFeed).where(CalendarFeed.user_id == user_id)).first()
    if feed is None:
        return False
    session.delete(feed)
    session.flush()  # the user's one row goes before its successor comes
    return True


def made_at(session: Session, user_id: int) -> datetime | None:
    """When the user's working secret address was made, or None if they have none."""
    return session.exec(select(CalendarFeed.created_at).where(CalendarFeed.user_id == user_id)).first()


def account_of_secret(session: Session, secret: str) -> Account | None:
    """The active account whose secret address this is, or None (unknown, replaced, or a deactivated user)."""
    user = session.exec(
        select(User)
        .join(CalendarFeed, col(CalendarFeed.user_id) == col(User.id))
        .where(CalendarFeed.secret_sha256 == _digest(secret))
    ).first()
    return Account.of(user) if user is not None and user.active else None
