"""Check a signed report: its digest, and whether its signature is intact, valid and trusted."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from results.certificates.authenticity import SignatureCheck, sha256_bytes

__all__ = ["SignatureCheck", "async_check_signature", "check_signature", "sha256_bytes"]


def _unsigned(problem: str) -> SignatureCheck:
    return SignatureCheck(
        signed=False, intact=False, valid=False, trusted=False, covers_whole_file=False, problem=problem
    )


def _problem(intact: bool, valid: bool, trusted: bool, whole: bool) -> str:
    if not intact:
        return "the document was changed after it was signed"
    if not valid:
        return "the signature does not match the signer's certificate"
    if not whole:
        return "content was added to the document after it was signed"
    if not trusted:
        return "the signer's certificate does not chain to a trusted root"
    return ""


async def async_check_signature(pdf: bytes, trust_roots: list[Path]) -> SignatureCheck:
    """Check the (first) signature of a signed report; for use inside an event loop (an async handler).

    Offline: no revocation checks, because the lab's own root runs no CRL or OCSP service. Parsing and
    hashing run on the calling thread; a 1 MB report takes a few milliseconds.

    Args:
        pdf: The signed PDF's bytes.
        trust_roots: PEM or DER files of the root certificates to trust (the lab's CA).

    Returns:
        What the check found; a PDF that cannot be read or carries no signature is reported, not raised.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_signatures
    except PdfReadError as error:
        return _unsigned(f"not a readable PDF: {error}")
    if not signatures:
        return _unsigned("the document is not signed")
    roots = [load_cert_from_pemder(str(path)) for path in trust_roots]  # type: ignore[no-untyped-call]
    context = ValidationContext(trust_roots=roots)
    try:
        status = await async_validate_pdf_signature(signatures[0], context)
    finally:
        await context.aclose()  # type: ignore[no-untyped-call]  # pyHanko leaves it unannotated
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # pyHanko's `valid` is about the signed attributes alone; a report's signature is valid only if intact too.
    intact, valid, trusted = status.intact, status.intact and status.valid, status.trusted
    stamp = status.timestamp_validity
    return SignatureCheck(
        signed=True,
        intact=intact,
        valid=valid,
        trusted=trusted,
        covers_whole_file=whole,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        timestamped_at=stamp.timestamp if stamp is not None and stamp.intact and stamp.valid else None,
        problem=_problem(intact, valid, trusted, whole),
    )


def check_signature(pdf: bytes, trust_roots: list[Path]) -> SignatureCheck:
    """Check the (first) signature of a signed report, from synchronous code.

    Same as :func:`async_check_signature`, which see; runs its own event loop.

    Raises:
        RuntimeError: if called while an event loop is running in this thread (await
            :func:`async_check_signature` there instead).
    """
    return asyncio.run(async_check_signature(pdf, trust_roots))
