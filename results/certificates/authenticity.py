"""What checking a signed report found, and the digest the verification page shows.

Plain data, apart from the check itself (:mod:`results.certificates.signature_check`): a service that hashes
an issued report or shows a check's findings does not load pyHanko.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

__all__ = ["SignatureCheck", "sha256_bytes"]


def sha256_bytes(pdf: bytes) -> str:
    """Get the SHA-256 of a file's bytes as 64 lowercase hex digits (what the verification page shows)."""
    return hashlib.sha256(pdf).hexdigest()


@dataclass(frozen=True)
class SignatureCheck:
    """What a signature check found.

    Attributes:
        signed: The PDF carries a signature at all.
        intact: The signed bytes are exactly those the signer signed (the digest matches).
        valid: ``intact`` and the cryptographic signature checks against the signer's certificate.
        trusted: The signer's certificate chains to one of the given trust roots.
        covers_whole_file: The signature covers the entire file; nothing was appended after signing.
        signer: The signer certificate's subject, readable (``"Common Name: …, Organization: …"``), or ``""``.
        signed_at: The signing time the signer claimed, or ``None``.
        timestamped_at: The time an RFC 3161 timestamp authority vouched for, if the signature carries a timestamp
            token that is intact and validly signed (by whichever authority: the token names it), else ``None``.
        problem: Why the check failed, in words, or ``""`` when :attr:`ok`.
    """

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    signer: str = ""
    signed_at: datetime | None = None
    timestamped_at: datetime | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        """Whether the report is authentic and unchanged: valid, trusted and covering the whole file."""
        return self.valid and self.trusted and self.covers_whole_file
