"""Signing in, changing one's password, and lifting a sign-in lock.

Every password check is throttled (:mod:`labsys.companies.throttling`): a read that may refuse the try, the password
checked outside any transaction, then a short write if it was wrong (or if a right one clears earlier failures).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from labsys.audit import Actor, record
from labsys.companies import throttling
from labsys.companies.accounts import Account
from labsys.companies.models import Company, PasswordChange, User, UserPublic, user_snapshot
from labsys.companies.password_policy import check_password
from labsys.companies.passwords import hash_password, needs_rehash, verify_password
from labsys.companies.service import get_user, user_by_email
from labsys.companies.throttling import SignInLimits
from labsys.db import Database, utcnow
from labsys.errors import AuthenticationFailed, InvalidInput, NotFound

__all__ = ["CredentialService"]

#: The address recorded for a try that came from no network (the command line, a test).
NO_ADDRESS = "local"


class CredentialService:
    """Passwords: signing in, changing them, and the admin's unlocking of an account, one transaction per step.

    Args:
        db: the lab's database.
        limits: how sign-in slows down guessing.
        clock: the current time (aware UTC); tests may move it.
    """

    def __init__(
        self, db: Database, limits: SignInLimits | None = None, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._db = db
        self._limits = limits or SignInLimits()
        self._clock = clock

    def sign_in(self, email: str, password: str, *, address: str = NO_ADDRESS) -> Account:
        """The account of the active user with this email and password, tried from the client ``address``.

        A correct password clears the account's failures; a hash made with weaker parameters than today's is
        replaced by a new one.

        Raises:
            TooManyAttempts: too many wrong passwords (the account is locked, or this address must wait).
            AuthenticationFailed: unknown email, wrong password or a deactivated user (one message for all three).
        """
        email = email.strip().lower()
        user, failures = self._checked(email, address)
        if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
            self._failed(email, address)
            raise AuthenticationFailed("wrong email or password")
        new_hash = hash_password(password) if needs_rehash(user.password_hash) else None
        if failures or new_hash is not None:
            with self._db.writing() as session:
                throttling.clear_failures(session, email)
                if new_hash is not None:
                    actor = Actor(email, user.id)
                    _store_password(session, user, new_hash, action="user.password_rehashed", actor=actor)
        return Account.of(user)

    def _checked(self, email: str, address: str) -> tuple[User | None, int]:
        with self._db.reading() as session:
            now = self._clock()
            failures = throttling.check(session, email=email, address=address, now=now, limits=self._limits)
            return user_by_email(session, email), failures

    def _failed(self, email: str, address: str) -> None:
        with self._db.writing() as session:
            throttling.record_failure(session, email=email, address=address, now=self._clock(), limits=self._limits)

    def change_password(self, change: PasswordChange, *, by: Account, address: str = NO_ADDRESS) -> None:
        """Replace the signed-in user's password, once their current one is given (a try that counts like a
        sign-in: a wrong current password is a failure).

        Raises:
            TooManyAttempts: too many wrong passwords for the account.
            InvalidInput: the current password is wrong (``current_password``), or the new one is too easy to guess
                (``new_password``).
        """
        email = by.email.lower()
        user, failures = self._checked(email, address)
        if user is None or not verify_password(user.password_hash, change.current_password):
            self._failed(email, address)
            raise InvalidInput("current_password", "the current password is wrong")
        if failures:
            with self._db.writing() as session:
                throttling.clear_failures(session, email)  # the right password: it was them
        with self._db.reading() as session:
            company = session.get(Company, user.company_id) if user.company_id else None
        inputs = (user.email, user.name, company.name if company else "")
        check_password(change.new_password, user_inputs=inputs, field="new_password")
        new_hash = hash_password(change.new_password)
        with self._db.writing() as session:
            _store_password(session, user, new_hash, action="user.password_changed", actor=by.actor)

    def unlock(self, user_id: int, *, by: Actor) -> UserPublic:
        """Lift the sign-in lock of a user (admin): their wrong passwords are forgotten, from every address.

        Raises:
            NotFound: no such user.
        """
        with self._db.writing() as session:
            user = get_user(session, user_id)
            forgotten = throttling.clear_failures(session, user.email)
            record(
                session,
                actor=by,
                action="user.sign_in_unlocked",
                entity_type="user",
                entity_id=user.id,
                before={"wrong_passwords": forgotten},
                after={"wrong_passwords": 0},
            )
            return UserPublic.model_validate(user)

    def user_id_of(self, email: str) -> int:
        """The id of the user who signs in with ``email`` (``labsys users unlock EMAIL``).

        Raises:
            NotFound: nobody signs in with it.
        """
        with self._db.reading() as session:
            user = user_by_email(session, email)
        if user is None or user.id is None:
            raise NotFound(f"no user signs in with {email}")
        return user.id


def _store_password(session: Session, user: User, password_hash: str, *, action: str, actor: Actor) -> None:
    stored = get_user(session, user.id or 0)
    stored.password_hash = password_hash
    session.add(stored)
    record(session, actor=actor, action=action, entity_type="user", entity_id=stored.id, after=user_snapshot(stored))
