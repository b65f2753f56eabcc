"""Slowing down password guessing, with the state in the database so that every server process sees it.

A try is checked against the counts (a read), its password checked, and a wrong one recorded (a short write); a right
one clears the account's failures. So a sign-in waits for the lab's write lock only when its password was wrong, and
a burst of guesses sent at once can pass the check together before they are counted, by as many as the server
checks at a time; counted, they then hold further tries off. Two limits apply, both to any email typed, whether or
not an account has it (so the answers tell nobody which emails exist):

- **From one address, a growing wait** (per account and client address): 10 wrong passwords come free; after the
  n-th (n ≥ 10) the next try waits 1 min × 2^(n − 10), at most an hour. So the 11th wrong password within a
  minute is refused, and one address gets about 40 guesses a day at one account, never enough to lock it.
- **For the account, a lockout** (from every address together): 50 wrong passwords within a day lock the account
  for an hour after the last of them; while 50 or more stay within the day, each further wrong password locks it
  for another hour. An admin lifts it at once (``labsys users unlock EMAIL``, ``POST /api/users/{id}/unlock``,
  the admin's users page); a correct password after the hour clears it too.

Failures are forgotten after a day. A refused try is not checked and does not count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from labsys.companies.models import SignInFailure
from labsys.errors import TooManyAttempts

__all__ = ["SignInLimits", "check", "clear_failures", "lockouts", "record_failure"]

#: The longest client address kept (an IPv6 address with a zone fits).
ADDRESS_LENGTH = 64
#: The longest email kept: what a form may send is cut to the column (an account's email is never longer).
EMAIL_LENGTH = 254


@dataclass(frozen=True)
class SignInLimits:
    """How sign-in slows down guessing (the module's docstring explains the defaults)."""

    free_failures: int = 10
    first_wait: timedelta = timedelta(minutes=1)
    longest_wait: timedelta = timedelta(hours=1)
    lockout_after: int = 50
    lockout: timedelta = timedelta(hours=1)
    memory: timedelta = timedelta(days=1)

    def wait_after(self, failures: int) -> timedelta:
        """How long the next try from one address waits after ``failures`` wrong passwords from it."""
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, 30)  # 2^30 minutes is far past any cap
        return min(self.first_wait * (1 << doublings), self.longest_wait)


def _seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


def check(session: Session, *, email: str, address: str, now: datetime, limits: SignInLimits) -> int:
    """Refuse a sign-in try that must wait; otherwise, how many failures the email has (a right password then
    clears them). Reads only: a sign-in never waits for the lab's write lock unless its password was wrong.

    Raises:
        TooManyAttempts: the account is locked, or this address must wait; ``retry_after_s`` says how long.
    """
    email, address = email[:EMAIL_LENGTH], address[:ADDRESS_LENGTH]
    rows = session.exec(
        select(SignInFailure.address, SignInFailure.failed_at).where(
            SignInFailure.email == email, col(SignInFailure.failed_at) >= now - limits.memory
        )
    ).all()
    if len(rows) >= limits.lockout_after:
        until = max(at for _, at in rows) + limits.lockout
        if now < until:
            raise TooManyAttempts(
                "this account is locked after too many wrong passwords; try again later or ask the lab's admin "
                "to unlock it",
                retry_after_s=_seconds(until - now),
                locked_until=until.isoformat(),
            )
    here = [at for where, at in rows if where == address]
    wait = limits.wait_after(len(here))
    if here and now < max(here) + wait:
        retry = _seconds(max(here) + wait - now)
        raise TooManyAttempts(
            f"too many wrong passwords for this email from your address: try again in {retry} s",
            retry_after_s=retry,
        )
    return len(rows)


def record_failure(session: Session, *, email: str, address: str, now: datetime, limits: SignInLimits) -> None:
    """Count a wrong password (in a write transaction), and forget failures older than ``limits.memory``."""
    session.exec(delete(SignInFailure).where(col(SignInFailure.failed_at) < now - limits.memory))
    session.add(SignInFailure(email=email[:EMAIL_LENGTH], address=address[:ADDRESS_LENGTH], failed_at=now))


def clear_failures(session: Session, email: str) -> int:
    """Forget the account's failures (a correct password, or an admin's unlock); how many there were."""
    result = session.exec(delete(SignInFailure).where(col(SignInFailure.email) == email[:EMAIL_LENGTH]))
    return int(result.rowcount)


def lockouts(session: Session, *, now: datetime, limits: SignInLimits) -> dict[str, datetime]:
    """The emails whose accounts are locked now, each with the time its lock ends."""
    rows = session.exec(
        select(SignInFailure.email, func.count(), func.max(SignInFailure.failed_at))
        .where(col(SignInFailure.failed_at) >= now - limits.memory)
        .group_by(col(SignInFailure.email))
    ).all()
    locked = {}
    for email, count, last in rows:
        until = last + limits.lockout
        if count >= limits.lockout_after and now < until:
            locked[email] = until
    return locked
