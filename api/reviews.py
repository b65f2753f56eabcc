"""Reviews: an engineer submits a booking's runs; a reviewer takes them from the queue and sends them back or
issues the certificate.

Approval is issuing: ``POST /api/certificates`` (see :mod:`api.certificates`).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.security.jwt import Token

from api.auth import requires
from api.state import Reviews
from labsys.certificates.schemas import ReviewPublic, ReviewQueuePublic, ReviewSendBack, ReviewSubmit
from labsys.companies.accounts import Account
from labsys.companies.models import Role

__all__ = ["ReviewController"]

SignedIn = Request[Account, Token, Any]


class ReviewController(Controller):
    """``/api/reviews``."""

    path = "/api/reviews"
    tags = ["reviews"]

    @get("/", guards=[requires(Role.REVIEWER)], sync_to_thread=True)
    def queue(self, review_service: Reviews) -> ReviewQueuePublic:
        """The review queue: the bookings in review, the longest waiting first, with company, method and runs."""
        return review_service.queue()

    @post("/", guards=[requires(Role.ENGINEER)], sync_to_thread=True)
    def submit(self, data: JSONBody[ReviewSubmit], review_service: Reviews, request: SignedIn) -> ReviewPublic:
        """Submit a booking's completed runs for review (booking ``testing → in_review``; 409 if a run is open)."""
        return review_service.submit(data.booking, by=request.user)

    @post("/{booking_id:int}/send-back", guards=[requires(Role.REVIEWER)], status_code=200, sync_to_thread=True)
    def send_back(
        self, booking_id: FromPath[int], data: JSONBody[ReviewSendBack], review_service: Reviews, request: SignedIn
    ) -> ReviewPublic:
        """Send the runs back to testing with the reason (booking ``in_review → testing``; qualified reviewer)."""
        return review_service.send_back(booking_id, data.reason, by=request.user)
