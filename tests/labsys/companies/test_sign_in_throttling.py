"""Sign-in resists guessing: a growing wait per account and address, a lockout per account that an admin lifts,
all kept in the database so that every server process sees the same counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from labsys.audit import Actor, AuditEvent
from labsys.companies.credentials import CredentialService
from labsys.companies.models import SignInFailure
from labsys.companies.service import AccountService
from labsys.companies.throttling import SignInLimits
from labsys.db import Database
from labsys.errors import AuthenticationFailed, TooManyAttempts
from tests.factories import PASSWORD, Lab

pytestmark = pytest.mark.integration

WRONG = "not the password at all"
#: The client address most tries come from.
HERE = "198.51.100.7"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def credentials(db: Database, clock: Clock) -> CredentialService:
    return CredentialService(db, clock=clock)


def _failed_before(
    session: Session, email: str, at: datetime, *, addresses: int = 5, each: int = 10, first: str = ""
) -> None:
    """Wrong passwords already recorded for ``email``, ``each`` from each of ``addresses`` addresses (the first
    ``first``, if given), ending at ``at``: written straight to the table, as checking each password takes argon2's
    deliberate fraction of a second."""
    for n in range(addresses * each):
        failed_at = at - timedelta(seconds=addresses * each - 1 - n)
        address = first if first and n < each else f"192.0.2.{n // each}"
        session.add(SignInFailure(email=email, address=address, failed_at=failed_at))
    session.commit()


def _fail(credentials: CredentialService, email: str, times: int, address: str = "198.51.100.7") -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            credentials.sign_in(email, WRONG, address=address)


def test_the_eleventh_wrong_password_within_a_minute_is_refused_even_when_it_is_right(
    credentials: CredentialService, session: Session, lab: Lab, clock: Clock
) -> None:
    _failed_before(session, lab.customer.email, clock.now - timedelta(seconds=1), addresses=1, each=9, first=HERE)
    _fail(credentials, lab.customer.email, 1)  # the tenth
    clock.advance(seconds=50)
    with pytest.raises(TooManyAttempts) as refused:
        credentials.sign_in(lab.customer.email, PASSWORD, address="198.51.100.7")
    assert 0 < refused.value.retry_after_s <= 60
    assert "try again in" in refused.value.detail


def test_the_wait_doubles_with_each_further_wrong_password_up_to_an_hour(
    credentials: CredentialService, session: Session, lab: Lab, clock: Clock
) -> None:
    _failed_before(session, lab.customer.email, clock.now - timedelta(seconds=1), addresses=1, each=9, first=HERE)
    _fail(credentials, lab.customer.email, 1)
    waits = []
    for _ in range(7):
        with pytest.raises(TooManyAttempts) as refused:
            credentials.sign_in(lab.customer.email, WRONG, address="198.51.100.7")
        waits.append(refused.value.retry_after_s)
        clock.advance(seconds=refused.value.retry_after_s)
        _fail(credentials, lab.customer.email, 1)
    assert waits == [60, 120, 240, 480, 960, 1920, 3600]


def test_another_address_is_not_slowed_by_one_addresss_guessing_and_a_right_password_clears_the_count(
    credentials: CredentialService, session: Session, lab: Lab, clock: Clock
) -> None:
    _failed_before(session, lab.customer.email, clock.now, addresses=1, first="203.0.113.9")
    with pytest.raises(TooManyAttempts):
        credentials.sign_in(lab.customer.email, PASSWORD, address="203.0.113.9")
    assert credentials.sign_in(lab.customer.email, PASSWORD, address="198.51.100.7").id == lab.customer.id
    # The right password reset the account's count: the guessing address may try again at once.
    _fail(credentials, lab.customer.email, 1, address="203.0.113.9")


def test_unknown_emails_are_slowed_down_exactly_like_known_ones(
    credentials: CredentialService, session: Session, clock: Clock
) -> None:
    _failed_before(session, "nobody@example.com", clock.now - timedelta(seconds=1), addresses=1, each=9, first=HERE)
    _fail(credentials, "nobody@example.com", 1)
    with pytest.raises(TooManyAttempts):
        credentials.sign_in("nobody@example.com", WRONG, address="198.51.100.7")


def test_fifty_wrong_passwords_from_many_addresses_lock_the_account_for_an_hour(
    credentials: CredentialService, session: Session, lab: Lab, clock: Clock
) -> None:
    _failed_before(session, lab.customer.email, clock.now, addresses=4)
    _fail(credentials, lab.customer.email, 10, address="192.0.2.4")  # the fiftieth locks it
    with pytest.raises(TooManyAttempts, match="locked") as refused:
        credentials.sign_in(lab.customer.email, PASSWORD, address="198.51.100.200")  # even the owner, elsewhere
    assert refused.value.retry_after_s == 3600
    clock.advance(minutes=61)
    assert credentials.sign_in(lab.customer.email, PASSWORD, address="198.51.100.200").id == lab.customer.id


def test_one_address_alone_never_locks_the_account_in_a_day() -> None:
    limits = SignInLimits()
    elapsed, guesses = timedelta(0), 0
    while elapsed < limits.memory:  # an attacker who tries again the moment each wait ends
        elapsed += limits.wait_after(guesses)
        guesses += 1
    assert 30 < guesses < limits.lockout_after


def test_an_admin_lifts_a_lock_at_once_and_the_audit_trail_says_who(
    credentials: CredentialService, db: Database, session: Session, lab: Lab, clock: Clock
) -> None:
    _failed_before(session, lab.customer.email, clock.now)
    accounts = AccountService(db, clock=clock)
    assert accounts.get_user(lab.customer.id or 0).sign_in_locked_until == clock.now + timedelta(hours=1)
    assert [u.id for u in accounts.list_users().data if u.sign_in_locked_until] == [lab.customer.id]

    credentials.unlock(lab.customer.id or 0, by=Actor("admin@lab.example.com", lab.admin.id))

    assert accounts.get_user(lab.customer.id or 0).sign_in_locked_until is None
    assert credentials.sign_in(lab.customer.email, PASSWORD, address="192.0.2.0").id == lab.customer.id
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "user.sign_in_unlocked")).one()
    assert (event.actor, event.before) == ("admin@lab.example.com", {"wrong_passwords": 50})


def test_the_counts_are_in_the_database_so_another_process_sees_them(
    credentials: CredentialService, db: Database, lab: Lab, clock: Clock, session: Session
) -> None:
    _failed_before(session, lab.customer.email, clock.now - timedelta(seconds=1), addresses=1, each=9, first=HERE)
    _fail(credentials, lab.customer.email, 1)
    another_worker = CredentialService(Database(db.engine), clock=clock)
    with pytest.raises(TooManyAttempts):
        another_worker.sign_in(lab.customer.email, PASSWORD, address="198.51.100.7")


def test_failures_older_than_a_day_are_forgotten(
    credentials: CredentialService, session: Session, lab: Lab, clock: Clock
) -> None:
    _failed_before(session, lab.customer.email, clock.now, addresses=5, first=HERE)
    clock.advance(days=1, seconds=1)
    _fail(credentials, lab.customer.email, 1)
    assert session.exec(select(func.count()).select_from(SignInFailure)).one() == 1


def test_an_email_or_address_longer_than_any_account_is_counted_not_refused_with_a_500(
    credentials: CredentialService,
) -> None:
    with pytest.raises(AuthenticationFailed):
        credentials.sign_in("a" * 300 + "@example.com", WRONG, address="f" * 100)
