"""Rendering, signing and checking reports, and making the lab's keys: each loads its libraries when called.

Rendering loads reportlab, matplotlib and qrcode; signing and checking load pyHanko; making keys loads
cryptography's X.509 builders. A service that only lists, numbers or looks up certificates imports the package
for its data and never pays for them: the first report rendered, signed or checked does.

Each function hands its arguments to the function of the same name in the module that does the work
(:mod:`~results.certificates.render`, :mod:`~results.certificates.signing`,
:mod:`~results.certificates.signature_check`, :mod:`~results.certificates.pki`), whose docstring tells the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from results.certificates.authenticity import SignatureCheck
from results.certificates.keys import LabPki, LabPkiPaths, LabSigner
from results.certificates.model import ReportData

__all__ = [
    "async_check_signature",
    "check_signature",
    "create_lab_pki",
    "load_signer",
    "new_lab_pki",
    "render_report",
    "sign_pdf",
]


def render_report(data: ReportData) -> bytes:
    """Render a test report as a PDF (:func:`results.certificates.render.render_report`).

    Raises:
        ValueError: if the report cannot be laid out (see the renderer).
    """
    from results.certificates import render  # noqa: PLC0415 - reportlab and matplotlib load with the first report

    return render.render_report(data)


def load_signer(
    key_path: Path,
    cert_path: Path,
    ca_path: Path | None = None,
    *,
    key_passphrase: bytes | None = None,
    location: str | None = None,
    timestamp_url: str | None = None,
) -> LabSigner:
    """Load the lab's signing key and certificates (:func:`results.certificates.signing.load_signer`).

    Raises:
        SigningKeyError: if a file is missing or does not hold a key or certificate.
    """
    from results.certificates import signing  # noqa: PLC0415 - pyHanko loads when the lab's key is loaded

    return signing.load_signer(
        key_path, cert_path, ca_path, key_passphrase=key_passphrase, location=location, timestamp_url=timestamp_url
    )


def sign_pdf(pdf: bytes, signer: LabSigner) -> bytes:
    """Sign a rendered report with a PAdES signature (:func:`results.certificates.signing.sign_pdf`).

    Raises:
        TimestampError: the lab's timestamp authority gave no timestamp.
    """
    from results.certificates import signing  # noqa: PLC0415 - pyHanko loads with the first signature

    return signing.sign_pdf(pdf, signer)


def create_lab_pki(directory: Path, lab_name: str) -> LabPkiPaths:
    """Create the lab's root CA and signing certificate (:func:`results.certificates.pki.create_lab_pki`)."""
    from results.certificates import pki  # noqa: PLC0415 - cryptography's X.509 builders load when keys are made

    return pki.create_lab_pki(directory, lab_name)


def new_lab_pki(lab_name: str) -> LabPki:
    """Make the lab's root CA and signing certificate in memory (:func:`results.certificates.pki.new_lab_pki`)."""
    from results.certificates import pki  # noqa: PLC0415 - cryptography's X.509 builders load when keys are made

    return pki.new_lab_pki(lab_name)


def check_signature(pdf: bytes, trust_roots: list[Path]) -> SignatureCheck:
    """Check a signed report from synchronous code (:func:`results.certificates.signature_check.check_signature`).

    Raises:
        RuntimeError: if called while an event loop is running in this thread.
    """
    from results.certificates import signature_check  # noqa: PLC0415 - pyHanko loads with the first check

    return signature_check.check_signature(pdf, trust_roots)


def _signature_checker() -> Callable[[bytes, list[Path]], Awaitable[SignatureCheck]]:
    from results.certificates import signature_check  # noqa: PLC0415 - pyHanko loads with the first check

    return signature_check.async_check_signature


async def async_check_signature(pdf: bytes, trust_roots: list[Path]) -> SignatureCheck:
    """Check a signed report inside an event loop (:func:`results.certificates.signature_check.async_check_signature`).

    The first check loads pyHanko on a worker thread, so the event loop keeps serving while it loads.
    """
    check = await asyncio.to_thread(_signature_checker)
    return await check(pdf, trust_roots)
