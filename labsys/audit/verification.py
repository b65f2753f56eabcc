"""Verifying the audit trail: the chain in itself, then against every signed checkpoint, and what to tell a person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from labsys.audit.chain import ChainBreak, verify_chain
from labsys.audit.checkpoint_check import CheckpointFindings, Trouble, check_checkpoints
from labsys.audit.checkpoints import CheckpointLog
from labsys.db import Database

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["AuditVerification", "verification_lines", "verify_audit_trail"]

#: Problems listed one by one; the rest are counted.
_LISTED = 10


@dataclass(frozen=True)
class AuditVerification:
    """What checking the audit chain, in itself and against its checkpoints, found.

    Attributes:
        events: How many events hold, from the first (:func:`~labsys.audit.verify_chain`).
        chain_break: Where the chain does not hold in itself, if anywhere.
        checkpoint_file: The checkpoint file checked against.
        checkpoints: What the checkpoints found; None if the file does not exist.
    """

    events: int
    chain_break: ChainBreak | None
    checkpoint_file: Path
    checkpoints: CheckpointFindings | None

    @property
    def ok(self) -> bool:
        """Whether the chain holds in itself and matches every checkpoint."""
        return self.chain_break is None and (self.checkpoints is None or not self.checkpoints.problems)


def verify_audit_trail(
    db: Database, checkpoints: CheckpointLog, certificate: Callable[[], x509.Certificate]
) -> AuditVerification:
    """Check the audit chain in itself and against ``checkpoints``.

    Args:
        db: The lab's database.
        checkpoints: The lab's checkpoint file, or a copy of it.
        certificate: Gives the lab's signing certificate (asked only if there are checkpoints to check).

    Raises:
        OSError: the checkpoint file cannot be read.
        LabError: whatever ``certificate`` raises when the certificate cannot be had.
    """
    # The checkpoints first: each names an event committed before it was written, which the chain read next holds.
    entries = checkpoints.read() if checkpoints.exists() else None
    signer = certificate() if entries else None
    with db.reading() as session:
        events, chain_break = verify_chain(session)
        findings = None
        if entries is not None:
            findings = CheckpointFindings(chain_length=events)
            if signer is not None:
                findings = check_checkpoints(session, entries, signer)
    return AuditVerification(events, chain_break, checkpoints.path, findings)


def verification_lines(found: AuditVerification) -> list[tuple[str, bool]]:
    """What ``labsys audit verify`` says: each line, and whether it is bad news (for standard error)."""
    if found.chain_break is not None:
        broken = found.chain_break
        lines = [(f"audit chain BROKEN at event {broken.event_id}: {broken.reason} ({found.events} events hold)", True)]
    else:
        lines = [(f"audit chain intact: {found.events} events", False)]
    return lines + _checkpoint_lines(found)


def _checkpoint_lines(found: AuditVerification) -> list[tuple[str, bool]]:
    findings = found.checkpoints
    if findings is None:
        warning = (
            f"warning: no signed checkpoints at {found.checkpoint_file}: a chain rewritten from an event on cannot be "
            "told from the true one"
        )
        return [(warning, True)]
    lines: list[tuple[str, bool]] = []
    rewritten = findings.rewritten_between
    if rewritten is not None:
        first, last = rewritten
        where = f"event {last}" if first == last else f"events {first} to {last}"
        lines.append((f"audit chain REWRITTEN: it differs from its signed checkpoints at {where}", True))
    if any(p.trouble is not Trouble.CHAIN for p in findings.problems):
        lines.append((f"checkpoint file {found.checkpoint_file} does not hold: it was changed", True))
    lines += [(f"  {problem.reason}", True) for problem in findings.problems[:_LISTED]]
    if len(findings.problems) > _LISTED:
        lines.append((f"  … and {len(findings.problems) - _LISTED} more checkpoints that do not hold", True))
    latest = findings.latest
    if latest is None:
        lines.append((f"no checkpoint at {found.checkpoint_file} holds", bool(findings.problems)))
        return lines
    signed = f"{latest.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
    holding = (
        "1 signed checkpoint holds"
        if len(findings.holding) == 1
        else f"{len(findings.holding)} signed checkpoints hold"
    )
    lines.append((f"{holding}, the newest of event {latest.sequence} ({signed})", False))
    if findings.chain_length > latest.sequence:
        lines.append(
            (f"events {latest.sequence + 1} to {findings.chain_length} are newer than every checkpoint", False)
        )
    return lines
