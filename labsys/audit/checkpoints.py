"""Signed checkpoints of the audit chain's head, kept in a file outside the database.

The chain in the database shows an event changed or removed, unless whoever changed it also recomputed every hash
from that event on: the database alone cannot tell a rewritten chain from the true one. A checkpoint is the head
of the chain (the newest event's sequence number and hash) and the time, signed with the lab's signing key and
appended as one JSON line to a file in the data folder, which the lab can also copy elsewhere. A rewritten chain no
longer has, at a checkpoint's sequence number, the hash that the checkpoint signed; and without the lab's key
nobody can sign a checkpoint for the rewritten one.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes, PrivateKeyTypes

__all__ = ["Checkpoint", "CheckpointKey", "CheckpointLog", "UnreadableLine", "certificate_fingerprint"]

#: Names what a checkpoint's signature is over, so that it cannot be taken for the key's signature on anything else.
_KIND = "labsys audit checkpoint"


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """The SHA-256 of a certificate (DER), as 64 hex digits: names the key a checkpoint was signed with."""
    return certificate.fingerprint(hashes.SHA256()).hex()


@dataclass(frozen=True)
class Checkpoint:
    """The audit chain's head at a moment, signed.

    Attributes:
        sequence: The number (id) of the newest event in the chain.
        head: That event's hash.
        at: When the checkpoint was made (UTC).
        key: The fingerprint of the certificate whose key signed it (:func:`certificate_fingerprint`).
        signature: The signature over :meth:`signed_content`.
    """

    sequence: int
    head: str
    at: datetime
    key: str
    signature: bytes

    def signed_content(self) -> bytes:
        """What the signature covers: the kind, sequence, head, time and key as canonical JSON."""
        content = {"kind": _KIND, "sequence": self.sequence, "head": self.head, "at": _iso(self.at), "key": self.key}
        return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()

    def to_line(self) -> str:
        """The checkpoint as one line of the checkpoint file (JSON, with a newline)."""
        fields = {
            "sequence": self.sequence,
            "head": self.head,
            "at": _iso(self.at),
            "key": self.key,
            "signature": base64.b64encode(self.signature).decode(),
        }
        return json.dumps(fields, separators=(",", ":")) + "\n"

    @classmethod
    def from_line(cls, line: str) -> Checkpoint:
        """Read a line of the checkpoint file.

        Raises:
            ValueError: the line is not a checkpoint (not JSON, a field missing or of the wrong kind).
        """
        try:
            fields = json.loads(line)
            checkpoint = cls(
                sequence=int(fields["sequence"]),
                head=str(fields["head"]),
                at=datetime.fromisoformat(fields["at"]).astimezone(UTC),
                key=str(fields["key"]),
                signature=base64.b64decode(fields["signature"], validate=True),
            )
        except (ValueError, KeyError, TypeError) as exc:
            msg = f"not a checkpoint ({type(exc).__name__}: {exc})"
            raise ValueError(msg) from exc
        return checkpoint

    def signed_by(self, certificate: x509.Certificate) -> bool:
        """Whether this checkpoint's signature holds with ``certificate``'s public key (and names that key)."""
        if self.key != certificate_fingerprint(certificate):
            return False
        return _verify(certificate.public_key(), self.signature, self.signed_content())


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class CheckpointKey:
    """The lab's key that signs checkpoints, with its certificate (which verifies them).

    ECDSA, RSA (PKCS #1 v1.5) and Ed25519 keys sign, each with SHA-256 where it takes a hash: the lab's own PKI
    makes ECDSA P-256 keys, and a certificate from a trust service may hold either of the others.
    """

    def __init__(self, private_key: PrivateKeyTypes, certificate: x509.Certificate) -> None:
        if not isinstance(private_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey):
            msg = f"a {type(private_key).__name__} cannot sign audit checkpoints (ECDSA, RSA or Ed25519 can)"
            raise ValueError(msg)
        self._private_key = private_key
        self.certificate = certificate
        self.fingerprint = certificate_fingerprint(certificate)

    @classmethod
    def load(cls, key_path: Path, certificate_path: Path) -> CheckpointKey:
        """The key and certificate from PEM files.

        Raises:
            ValueError: a file holds no usable key or certificate.
            OSError: a file cannot be read.
        """
        private_key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return cls(private_key, x509.load_pem_x509_certificate(certificate_path.read_bytes()))

    def sign(self, *, sequence: int, head: str, at: datetime) -> Checkpoint:
        """A checkpoint of the chain whose newest event is ``sequence`` with hash ``head``, made at ``at``."""
        unsigned = Checkpoint(sequence, head, at, self.fingerprint, b"")
        content = unsigned.signed_content()
        key = self._private_key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            signature = key.sign(content, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPrivateKey):
            signature = key.sign(content, padding.PKCS1v15(), hashes.SHA256())
        else:
            signature = key.sign(content)
        return Checkpoint(sequence, head, at, self.fingerprint, signature)


def _verify(public_key: CertificatePublicKeyTypes, signature: bytes, content: bytes) -> bool:
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, content, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, content, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(signature, content)
        else:
            return False
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class UnreadableLine:
    """A line of the checkpoint file that holds no checkpoint, and why."""

    reason: str


class CheckpointLog:
    """The append-only file of checkpoints: one JSON line each, oldest first.

    Each checkpoint is appended with a single ``write`` on a file opened for appending, so writers in several
    processes (the server and its station) never interleave their lines, and it is synced to disk before
    :meth:`append` returns.

    Args:
        path: The file (created with its folder on the first append).
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, checkpoint: Checkpoint) -> None:
        """Add ``checkpoint`` at the end of the file.

        Raises:
            OSError: the file cannot be written.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(descriptor, checkpoint.to_line().encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def exists(self) -> bool:
        """Whether the file exists (no checkpoint was ever written, or it was deleted, if not)."""
        return self.path.is_file()

    def read(self) -> list[tuple[int, Checkpoint | UnreadableLine]]:
        """Every line of the file with its number (from 1): a checkpoint, or why the line is not one.

        Raises:
            OSError: the file cannot be read.
        """
        entries: list[tuple[int, Checkpoint | UnreadableLine]] = []
        with self.path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    entries.append((number, Checkpoint.from_line(line)))
                except ValueError as exc:
                    entries.append((number, UnreadableLine(str(exc))))
        return entries

    def export(self, target: Path) -> int:
        """Copy the file to ``target`` (to keep elsewhere); the number of checkpoints copied.

        The copy is written beside ``target`` and renamed onto it, so an interrupted export leaves no half file.

        Raises:
            OSError: the file cannot be read or ``target`` written.
        """
        content = self.path.read_bytes()
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(content)
        partial.replace(target)
        return sum(1 for line in content.splitlines() if line.strip())
