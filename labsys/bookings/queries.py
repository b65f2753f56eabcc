"""Reading bookings: one by id, and pages of them, as far as the caller may see."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from labsys.bookings.models import Booking, BookingStatus
from labsys.errors import NotFound

__all__ = ["INACTIVE_STATUSES", "get_booking", "list_bookings"]

#: Bookings in these states hold no instrument time and count towards no quota.
INACTIVE_STATUSES = (BookingStatus.CANCELLED, BookingStatus.REJECTED)


def get_booking(*, session: Session, booking_id: int, company_id: int | None) -> Booking:
    """The booking, if the caller may see it (``company_id`` None: staff, who see every company's).

    Raises:
        NotFound: there is no such booking, or it is another company's.
    """
    booking = session.get(Booking, booking_id)
    if booking is None or (company_id is not None and booking.company_id != company_id):
        raise NotFound(f"booking {booking_id} not found")
    return booking


def list_bookings(
    *, session: Session, company_id: int | None, status: BookingStatus | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Booking], int]:
    """A page of the bookings the caller may see, newest first, and how many there are in all."""
    query = select(Booking)
    counter = select(func.count()).select_from(Booking)
    if company_id is not None:
        query, counter = query.where(Booking.company_id == company_id), counter.where(Booking.company_id == company_id)
    if status is not None:
        query, counter = query.where(Booking.status == status), counter.where(Booking.status == status)
    page = session.exec(query.order_by(col(Booking.id).desc()).limit(limit).offset(offset)).all()
    return list(page), session.exec(counter).one()
