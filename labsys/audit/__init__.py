"""The audit trail: an append-only chain of every state change, each event hashing the one before."""

from labsys.audit.chain import Actor, Change, Snapshot, record, record_all, snapshot, verify_chain
from labsys.audit.models import AuditEvent, AuditHead

__all__ = [
    "Actor",
    "AuditEvent",
    "AuditHead",
    "Change",
    "Snapshot",
    "record",
    "record_all",
    "snapshot",
    "verify_chain",
]
