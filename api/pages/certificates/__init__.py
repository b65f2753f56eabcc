"""Certificates as pages: the register (a customer sees its company's, staff see all), each certificate with its
history, its signed PDF, the reviewers' amend and revoke."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.certificates.register import CertificatePages

__all__ = ["CERTIFICATE_PAGES"]

CERTIFICATE_PAGES: list[ControllerRouterHandler] = [CertificatePages]
