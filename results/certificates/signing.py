"""Sign a rendered report with the lab's key: a PAdES baseline signature over the whole file, B-T (with an RFC 3161
timestamp from the lab's timestamp authority) where the lab has one, else B-B."""

from __future__ import annotations

import io
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError

from results.certificates.keys import LabPkiPaths, LabSigner, SigningKeyError, TimestampError
from results.certificates.pki import create_lab_pki

__all__ = [
    "SIGNATURE_FIELD",
    "LabPkiPaths",
    "LabSigner",
    "SigningKeyError",
    "TimestampError",
    "create_lab_pki",
    "load_signer",
    "sign_pdf",
]

SIGNATURE_FIELD = "LabSignature"
"""Name of the (invisible) signature field a signed report carries."""

_TIMESTAMP_TIMEOUT_S = 10
"""Longest wait for the timestamp authority's answer (pyHanko asks twice: once to size the signature)."""


def load_signer(
    key_path: Path,
    cert_path: Path,
    ca_path: Path | None = None,
    *,
    key_passphrase: bytes | None = None,
    location: str | None = None,
    timestamp_url: str | None = None,
) -> LabSigner:
    """Load the lab's signing key, its certificate and (optionally) the CA certificate, from PEM or DER files.

    The CA certificate is embedded in each signature so that a reader can build the chain to the lab's root.

    Args:
        key_path: The signing private key.
        cert_path: The signing certificate.
        ca_path: The issuing CA's certificate, or ``None``.
        key_passphrase: Passphrase of an encrypted key.
        location: Where reports are signed, recorded in each signature.
        timestamp_url: The RFC 3161 timestamp authority to timestamp each signature with, or ``None``.

    Raises:
        SigningKeyError: if a file is missing or does not hold a key or certificate.
    """
    for path in (key_path, cert_path, *([ca_path] if ca_path else [])):
        if not path.is_file():
            raise SigningKeyError(f"{path} does not exist")
    signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]  # pyHanko leaves it unannotated
        key_file=str(key_path),
        cert_file=str(cert_path),
        ca_chain_files=(str(ca_path),) if ca_path else None,
        key_passphrase=key_passphrase,
    )
    if signer is None:  # pyHanko logs the cause and returns None rather than raising
        raise SigningKeyError(f"could not load a signing key from {key_path} and a certificate from {cert_path}")
    return LabSigner(signer=signer, location=location, timestamp_url=timestamp_url)


def sign_pdf(pdf: bytes, signer: LabSigner) -> bytes:
    """Sign a PDF with a PAdES signature (subfilter ETSI.CAdES.detached, SHA-256) in an invisible field.

    The signature is appended as an incremental update and covers the entire resulting file, so any later
    change to the document shows in every validator. With a timestamp authority (``signer.timestamp_url``) the
    signature carries its RFC 3161 timestamp token (PAdES B-T): a time the lab's own clock did not set.

    Args:
        pdf: The unsigned PDF (from :func:`results.certificates.render.render_report`).
        signer: The lab's signer, from :func:`load_signer`.

    Returns:
        The signed PDF's bytes.

    Raises:
        TimestampError: the timestamp authority could not be reached or gave no timestamp.
    """
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=signer.reason,
        location=signer.location,
    )
    timestamper = HTTPTimeStamper(signer.timestamp_url, timeout=_TIMESTAMP_TIMEOUT_S) if signer.timestamp_url else None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = io.BytesIO()
    try:
        signers.PdfSigner(metadata, signer=signer.signer, timestamper=timestamper).sign_pdf(writer, output=output)
    except (TimestampRequestError, OSError) as error:
        msg = f"the timestamp authority at {signer.timestamp_url} gave no timestamp: {error}"
        raise TimestampError(msg) from error
    return output.getvalue()
