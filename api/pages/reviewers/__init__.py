"""The reviewer's pages: the review queue, and a booking's review, which approves it or sends it back."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.reviewers.reviews import ReviewPages

__all__ = ["REVIEWER_PAGES"]

REVIEWER_PAGES: list[ControllerRouterHandler] = [ReviewPages]
