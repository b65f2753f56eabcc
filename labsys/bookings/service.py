"""The booking service: what the API (and the pages) ask of bookings, one transaction per call.

A customer touches only its own company's bookings (another company's id answers
:class:`~labsys.errors.NotFound`); staff see every company's. Roles are checked by the caller (the API's guards).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from labsys.bookings import calendar_addresses, creation, steps
from labsys.bookings.calendar_feed import bookings_calendar
from labsys.bookings.models import BookingCreate, BookingPublic, BookingsPublic, BookingStatus, CalendarFeedPublic
from labsys.bookings.queries import get_booking, list_bookings
from labsys.bookings.schemas import SampleReceipt, SampleReleases, SlotPublic
from labsys.bookings.views import public_booking, public_bookings
from labsys.bookings.week import WeekSchedule, week_schedule
from labsys.bounds import check_lab_time
from labsys.companies.accounts import Account
from labsys.db import Database, utcnow
from labsys.errors import InvalidInput, NotFound, PermissionDenied
from labsys.methods.service import method_by_code
from labsys.scheduling import MAX_WINDOW, SchedulingPolicy, Start, find_slots

__all__ = ["BookingService"]


class BookingService:
    """Bookings and availability.

    Args:
        db: the lab's database.
        policy: the scheduling rules every booking obeys.
        clock: the current time (aware UTC); tests may fix it.
    """

    def __init__(self, db: Database, policy: SchedulingPolicy, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._policy = policy
        self._clock = clock

    def create(self, booking_in: BookingCreate, *, by: Account) -> BookingPublic:
        """Book a method for the customer's samples at ``start`` (or the earliest free slot), quoted at once.

        Raises:
            PermissionDenied: the account belongs to no company.
            NotFound: no active method with that code.
            RuleViolation: a scheduling rule refuses the start (``rule``, ``next_slot``).
        """
        company_id = _own_company(by)
        with self._db.writing() as session:
            booking = creation.create_booking(
                session=session, booking_in=booking_in, company_id=company_id, requested_by_id=by.id,
                actor=by.actor, policy=self._policy, now=self._clock(),
            )  # fmt: skip
            return public_booking(session=session, booking=booking, policy=self._policy)

    def list_bookings(
        self, *, viewer: Account, status: BookingStatus | None = None, limit: int = 50, offset: int = 0
    ) -> BookingsPublic:
        """A page of the bookings the viewer may see, newest first, and how many there are."""
        with self._db.reading() as session:
            bookings, count = list_bookings(
                session=session, company_id=viewer.company_scope, status=status, limit=limit, offset=offset
            )
            return BookingsPublic(
                data=public_bookings(session=session, bookings=bookings, policy=self._policy), count=count
            )

    def get(self, booking_id: int, *, viewer: Account) -> BookingPublic:
        """One booking.

        Raises:
            NotFound: no such booking, or another company's.
        """
        with self._db.reading() as session:
            booking = get_booking(session=session, booking_id=booking_id, company_id=viewer.company_scope)
            return public_booking(session=session, booking=booking, policy=self._policy)

    def confirm(self, booking_id: int, *, by: Account) -> BookingPublic:
        """The customer accepts the quote (see :func:`~labsys.bookings.steps.confirm_booking`)."""
        with self._db.writing() as session:
            booking = steps.confirm_booking(
                session=session, booking_id=booking_id, company_id=by.company_scope, actor=by.actor
            )
            return public_booking(session=session, booking=booking, policy=self._policy)

    def cancel(self, booking_id: int, *, by: Account) -> BookingPublic:
        """Cancel before testing starts (see :func:`~labsys.bookings.steps.cancel_booking`)."""
        with self._db.writing() as session:
            booking = steps.cancel_booking(
                session=session, booking_id=booking_id, company_id=by.company_scope, actor=by.actor
            )
            return public_booking(session=session, booking=booking, policy=self._policy)

    def reject(self, booking_id: int, reason: str, *, by: Account) -> BookingPublic:
        """The lab refuses a booking (see :func:`~labsys.bookings.steps.reject_booking`)."""
        with self._db.writing() as session:
            booking = steps.reject_booking(session=session, booking_id=booking_id, reason=reason, actor=by.actor)
            return public_booking(session=session, booking=booking, policy=self._policy)

    def reschedule(self, booking_id: int, start: Start, *, by: Account) -> BookingPublic:
        """Move a booking under every rule of a new booking (see :func:`~labsys.bookings.steps.reschedule_booking`)."""
        with self._db.writing() as session:
            booking = steps.reschedule_booking(
                session=session, booking_id=booking_id, start=start, company_id=by.company_scope, actor=by.actor,
                policy=self._policy, now=self._clock(),
            )  # fmt: skip
            return public_booking(session=session, booking=booking, policy=self._policy)

    def receive(self, booking_id: int, receipt: SampleReceipt, *, by: Account) -> BookingPublic:
        """Record each sample's condition on arrival (see :func:`~labsys.bookings.steps.receive_samples`)."""
        with self._db.writing() as session:
            booking = steps.receive_samples(
                session=session, booking_id=booking_id, receipt=receipt, received_by_id=by.id, actor=by.actor
            )
            return public_booking(session=session, booking=booking, policy=self._policy)

    def close(self, booking_id: int, releases: SampleReleases, *, by: Account) -> BookingPublic:
        """Record what became of every sample after the report (see :func:`~labsys.bookings.steps.close_booking`)."""
        with self._db.writing() as session:
            booking = steps.close_booking(
                session=session, booking_id=booking_id, releases=releases, released_by_id=by.id, actor=by.actor
            )
            return public_booking(session=session, booking=booking, policy=self._policy)

    def availability(
        self, method_code: str, *, viewer: Account, start: datetime | None = None, end: datetime | None = None
    ) -> list[SlotPublic]:
        """The free slots for a method starting in ``[start, end)`` (default: the coming week), earliest first.

        A customer's slots obey their company's weekly quota; staff have none.

        Raises:
            NotFound: no active method with that code.
            InvalidInput: a naive time or one outside the lab's years, or a window that ends before it starts or is
                longer than 31 days.
        """
        now = self._clock()
        window_start = _aware("start", start) if start else now
        window_end = _aware("end", end) if end else window_start + timedelta(days=7)
        if window_end <= window_start or window_end - window_start > MAX_WINDOW:
            raise InvalidInput("end", f"end must come after start, at most {MAX_WINDOW.days} days later")
        with self._db.reading() as session:
            method = method_by_code(session, method_code, active_only=True)
            company = viewer.company_scope
            quota = (
                None
                if company is None
                else creation.company_quota(session, company_id=company, policy=self._policy, now=now)
            )
            slots = find_slots(
                session=session, method=method, policy=self._policy, now=now, start=window_start, end=window_end,
                quota=quota,
            )  # fmt: skip
        return [SlotPublic(instruments=[i.asset_tag for i in s.instruments], start=s.start, end=s.end) for s in slots]

    def week(self, day: date, *, viewer: Account) -> WeekSchedule:
        """The lab week ``day`` (a lab-zone date) falls in, Monday to Sunday: each instrument's reservations.

        Raises:
            PermissionDenied: the viewer is not one of the lab's staff (the week shows every company's bookings).
            InvalidInput: ``day`` lies outside the lab's years.
        """
        if not viewer.is_staff:
            raise PermissionDenied("the lab's schedule is for its staff")
        check_lab_time("week", day)
        monday = day - timedelta(days=day.weekday())
        with self._db.reading() as session:
            return week_schedule(session=session, policy=self._policy, monday=monday)

    def calendar(self, *, viewer: Account, lab_name: str, host: str) -> bytes:
        """The bookings the viewer may see as an iCalendar feed."""
        with self._db.reading() as session:
            return bookings_calendar(
                session=session, company_id=viewer.company_scope, policy=self._policy, lab_name=lab_name, host=host,
                now=self._clock(),
            )  # fmt: skip

    def calendar_of_secret(self, secret: str, *, lab_name: str, host: str) -> bytes:
        """The feed of the user whose secret calendar address this is: what they would see signed in.

        Raises:
            NotFound: no working address has this secret (never made, replaced, revoked, or its user deactivated).
        """
        with self._db.reading() as session:
            account = calendar_addresses.account_of_secret(session, secret)
            if account is None:
                raise NotFound("no calendar has this address; make a new one on your account page")
            return bookings_calendar(
                session=session, company_id=account.company_scope, policy=self._policy, lab_name=lab_name,
                host=host, now=self._clock(),
            )  # fmt: skip

    def new_calendar_address(self, *, by: Account, public_url: str) -> CalendarFeedPublic:
        """Make the user's secret calendar address, shown this once; any address they had stops working."""
        with self._db.writing() as session:
            secret, made = calendar_addresses.new_address(session, user_id=by.id, actor=by.actor, now=self._clock())
        return CalendarFeedPublic(url=calendar_addresses.feed_url(public_url, secret), created_at=made)

    def revoke_calendar_address(self, *, by: Account) -> None:
        """Stop the user's secret calendar address from working (nothing happens if they have none)."""
        with self._db.writing() as session:
            calendar_addresses.forget_address(session, user_id=by.id, actor=by.actor)

    def calendar_address_made_at(self, *, viewer: Account) -> datetime | None:
        """When the user's working secret calendar address was made, or None if they have none."""
        with self._db.reading() as session:
            return calendar_addresses.made_at(session, viewer.id)


def _own_company(account: Account) -> int:
    if account.company_id is None:
        raise PermissionDenied("your account belongs to no company")
    return account.company_id


def _aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None:
        raise InvalidInput(name, f"{name} needs a time zone (e.g. 2026-12-01T09:00:00+09:00)")
    return check_lab_time(name, value)
