"""Reviews: an engineer submits a booking's runs; a qualified reviewer sends them back or issues the certificate.

Approval is issuing: ``POST /api/certificates`` (see :mod:`api.certificates`).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.params import FromPath, JSONBody

from api.auth import Principal, requires
from api.state import DB
from labsys.certificates import review
from labsys.certificates.schemas import ReviewPublic, ReviewSendBack, ReviewSubmit
from labsys.companies.models import Role
from labsys.companies.service import get_user

__all__ = ["ReviewController"]


class ReviewController(Controller):
    """``/api/reviews``."""

    path = "/api/reviews"
    tags = ["reviews"]

    @post("/", guards=[requires(Role.ENGINEER)], sync_to_thread=True)
    def submit(self, data: JSONBody[ReviewSubmit], db: DB, request: Request[Principal, Any, Any]) -> ReviewPublic:
        """Submit a booking's completed runs for review (booking ``testing → in_review``; 409 if a run is open)."""
        engineer = get_user(session=db, user_id=request.user.id)
        booking = review.submit_for_review(
            session=db, booking_id=data.booking, engineer=engineer, actor=request.user.actor
        )
        return review.describe_review(db, booking)

    @post("/{booking_id:int}/send-back", guards=[requires(Role.REVIEWER)], status_code=200, sync_to_thread=True)
    def send_back(
        self, booking_id: FromPath[int], data: JSONBody[ReviewSendBack], db: DB, request: Request[Principal, Any, Any]
    ) -> ReviewPublic:
        """Send the runs back to testing with the reason (booking ``in_review → testing``; qualified reviewer)."""
        reviewer = get_user(session=db, user_id=request.user.id)
        booking = review.send_back(
            session=db, booking_id=booking_id, reason=data.reason, reviewer=reviewer, actor=request.user.actor
        )
        return review.describe_review(db, booking, reason=data.reason)
