"""Certificates as pages: the register (a customer sees its company's, staff see all), each certificate with its
history, its signed PDF, the reviewers' amend and revoke; and the public verification page."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.certificates.register import CertificatePages
from api.pages.certificates.verification import VerificationPages

__all__ = ["CERTIFICATE_PAGES"]

CERTIFICATE_PAGES: list[ControllerRouterHandler] = [CertificatePages, VerificationPages]
