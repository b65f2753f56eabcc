"""Certificates as pages: the register (a customer sees its company's, staff see all), each certificate with its
history, its signed PDF, the reviewers' amend and revoke; and the public verification page."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.certificates.register import CertificatePages
from api.pages.certificates.verification import VerificationPages

__all__ = ["CERTIFICATE_PAGES", "VerificationPages"]

#: The register's pages. The verification page takes uploads from anyone: the app nests it behind its limits.
CERTIFICATE_PAGES: list[ControllerRouterHandler] = [CertificatePages]
