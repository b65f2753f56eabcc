"""Checking the audit chain against its signed checkpoints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from labsys.audit.checkpoints import Checkpoint, UnreadableLine, certificate_fingerprint
from labsys.audit.models import AuditEvent

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["CheckpointFindings", "CheckpointProblem", "Trouble", "check_checkpoints"]


class Trouble(StrEnum):
    """What is wrong with a checkpoint: the file (a line, a signature) or the chain it vouches for."""

    UNREADABLE = "unreadable"
    SIGNATURE = "signature"
    CHAIN = "chain"


@dataclass(frozen=True)
class CheckpointProblem:
    """A checkpoint that does not hold, and why.

    Attributes:
        line: Its line in the checkpoint file.
        sequence: The event it names (0 if the line could not be read).
        trouble: Whether the file or the chain is at fault.
        reason: Why it does not hold, in words.
    """

    line: int
    sequence: int
    trouble: Trouble
    reason: str


@dataclass
class CheckpointFindings:
    """What checking the chain against its checkpoints found.

    Attributes:
        chain_length: The newest event in the chain (0 if it is empty).
        holding: The events named by checkpoints that hold (signed with the lab's key, and the chain has the hash
            they signed), in file order.
        latest: The holding checkpoint of the newest event, if any.
        problems: The checkpoints that do not hold, in file order.
    """

    chain_length: int
    holding: list[int] = field(default_factory=list)
    latest: Checkpoint | None = None
    problems: list[CheckpointProblem] = field(default_factory=list)

    @property
    def rewritten_between(self) -> tuple[int, int] | None:
        """The events between which the chain was rewritten or cut, ``(first, last)``: the event after the newest
        holding checkpoint below the first mismatch, and the first event whose checkpoint the chain does not match.
        None if the chain matches every well-signed checkpoint."""
        mismatched = [p.sequence for p in self.problems if p.trouble is Trouble.CHAIN]
        if not mismatched:
            return None
        last = min(mismatched)
        return max((s for s in self.holding if s < last), default=0) + 1, last


def check_checkpoints(
    session: Session, entries: list[tuple[int, Checkpoint | UnreadableLine]], certificate: x509.Certificate
) -> CheckpointFindings:
    """Check every checkpoint: its signature with the lab's signing ``certificate``, then the chain's hash at its
    sequence number.

    Args:
        session: A session reading the chain, begun after the checkpoints were read (a checkpoint is written once
            its event is committed, so the session sees every event a checkpoint names).
        entries: The checkpoint file's lines (:meth:`~labsys.audit.checkpoints.CheckpointLog.read`).
        certificate: The lab's signing certificate.
    """
    rows = session.exec(select(AuditEvent.id, AuditEvent.hash).order_by(col(AuditEvent.id))).all()
    hashes = dict(rows)
    findings = CheckpointFindings(chain_length=max(hashes, default=0))
    fingerprint = certificate_fingerprint(certificate)
    for line, entry in entries:
        if isinstance(entry, UnreadableLine):
            findings.problems.append(CheckpointProblem(line, 0, Trouble.UNREADABLE, f"line {line} is {entry.reason}"))
            continue
        problem = _signature_problem(entry, certificate, fingerprint) or _chain_problem(entry, hashes)
        if problem is not None:
            trouble, reason = problem
            findings.problems.append(CheckpointProblem(line, entry.sequence, trouble, f"line {line}: {reason}"))
            continue
        findings.holding.append(entry.sequence)
        if findings.latest is None or entry.sequence >= findings.latest.sequence:
            findings.latest = entry
    return findings


def _signature_problem(
    checkpoint: Checkpoint, certificate: x509.Certificate, fingerprint: str
) -> tuple[Trouble, str] | None:
    if checkpoint.key != fingerprint:
        return Trouble.SIGNATURE, (
            f"the checkpoint of event {checkpoint.sequence} was signed with a key ({checkpoint.key[:16]}…) that is "
            f"not the lab's signing certificate's ({fingerprint[:16]}…)"
        )
    if not checkpoint.signed_by(certificate):
        return Trouble.SIGNATURE, (
            f"the signature of the checkpoint of event {checkpoint.sequence} does not hold: the checkpoint file was "
            "changed"
        )
    return None


def _chain_problem(checkpoint: Checkpoint, hashes: dict[int, str]) -> tuple[Trouble, str] | None:
    signed = f"signed {checkpoint.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
    if checkpoint.sequence not in hashes:
        return Trouble.CHAIN, (
            f"event {checkpoint.sequence}, whose checkpoint was {signed}, is not in the chain (it ends at event "
            f"{max(hashes, default=0)}): events were removed"
        )
    if hashes[checkpoint.sequence] != checkpoint.head:
        return Trouble.CHAIN, (
            f"event {checkpoint.sequence} does not have the hash its checkpoint {signed} names: the chain was "
            f"rewritten at or before event {checkpoint.sequence}"
        )
    return None
