"""The audit trail: an append-only chain of every state change, each event hashing the one before."""

from labsys.audit.chain import Actor, record, verify_chain
from labsys.audit.models import AuditEvent, AuditHead

__all__ = ["Actor", "AuditEvent", "AuditHead", "record", "verify_chain"]
