"""The lab's signing key as plain data: where its files are, the signer loaded from them, the error reading them.

Plain types, apart from the code that makes and uses keys (:mod:`results.certificates.pki`,
:mod:`results.certificates.signing`): a service can keep a signer or catch :class:`SigningKeyError` without
loading pyHanko or cryptography until it signs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyhanko.sign import signers

__all__ = ["LabPki", "LabPkiPaths", "LabSigner", "SigningKeyError", "TimestampError", "write_private"]


@dataclass(frozen=True)
class LabPki:
    """A new lab PKI in memory, as PEM: the caller decides where each part goes (the root's key, offline).

    Attributes:
        ca_certificate: The root CA's certificate.
        ca_key: The root CA's private key (unencrypted PKCS #8): it signs nothing once the signing certificate exists.
        signing_certificate: The document-signing certificate the root issued.
        signing_key: The document-signing private key (unencrypted PKCS #8).
    """

    ca_certificate: bytes
    ca_key: bytes
    signing_certificate: bytes
    signing_key: bytes


def write_private(path: Path, data: bytes) -> None:
    """Write secret ``data`` (a private key) to a new or existing file readable by its owner only.

    The file has mode 0600 from the moment it is created: never readable by others, not even for a moment.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    path.chmod(0o600)


@dataclass(frozen=True)
class LabPkiPaths:
    """Where :func:`results.certificates.pki.create_lab_pki` wrote the lab's PEM files.

    Attributes:
        ca_certificate: The root CA's certificate; publish it so that readers can trust the lab's reports.
        ca_key: The root CA's private key (mode 0600); keep it offline once the signing certificate exists.
        signing_certificate: The document-signing certificate.
        signing_key: The document-signing private key (mode 0600).
    """

    ca_certificate: Path
    ca_key: Path
    signing_certificate: Path
    signing_key: Path


class SigningKeyError(ValueError):
    """The lab's key or certificate files could not be read."""


@dataclass(frozen=True)
class LabSigner:
    """The lab's signing key and certificate chain, loaded once and used for every report.

    Attributes:
        signer: pyHanko's signer holding the key, the signing certificate and its CA chain.
        location: Where reports are signed, recorded in the signature (e.g. ``"Daejeon, KR"``), or ``None``.
        reason: Why the lab signs, recorded in the signature.
        timestamp_url: The RFC 3161 timestamp authority each signature gets its time from (PAdES B-T), or
            ``None``: the signature carries the signing machine's clock only (B-B).
    """

    signer: signers.SimpleSigner
    location: str | None = None
    reason: str = "Test report issued by the laboratory"
    timestamp_url: str | None = None


class TimestampError(RuntimeError):
    """The timestamp authority gave no usable timestamp: unreachable, refusing, or answering nonsense."""
