"""The audit trail: an append-only chain of every state change, each event hashing the one before."""

from labsys.audit.chain import SYSTEM, Actor, record, snapshot, verify_chain
from labsys.audit.models import AuditEvent, AuditHead

__all__ = ["SYSTEM", "Actor", "AuditEvent", "AuditHead", "record", "snapshot", "verify_chain"]
