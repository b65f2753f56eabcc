"""The audit chain's checkpoints as the lab keeps them: a file in its data folder, signed with its signing key.

The key that signs test reports signs the checkpoints: it is the one key the lab already guards and publishes a
certificate for, so anyone holding the lab's signing certificate can check an exported copy of the checkpoints.
"""

from __future__ import annotations

from cryptography import x509

from labsys.audit.checkpointing import Checkpointer
from labsys.audit.checkpoints import CheckpointKey, CheckpointLog
from labsys.certificates.keys import lab_key_paths, usable_key_paths
from labsys.db import Database
from labsys.errors import ConfigurationError
from labsys.settings import Settings

__all__ = ["checkpoint_audit_writes", "checkpoint_key", "checkpoint_log", "signing_certificate"]


def checkpoint_log(settings: Settings) -> CheckpointLog:
    """The lab's checkpoint file: ``<data_dir>/audit/checkpoints.jsonl``."""
    return CheckpointLog(settings.data_dir / "audit" / "checkpoints.jsonl")


def checkpoint_key(settings: Settings) -> CheckpointKey:
    """The lab's signing key and certificate, to sign checkpoints with (made first in development mode).

    Raises:
        ConfigurationError: the keys are missing in production mode, or their files hold no usable key.
    """
    paths = usable_key_paths(settings)
    try:
        return CheckpointKey.load(paths.signing_key, paths.signing_certificate)
    except (ValueError, OSError) as exc:
        msg = f"the lab's signing key cannot sign audit checkpoints: {exc}"
        raise ConfigurationError(msg) from exc


def signing_certificate(settings: Settings) -> x509.Certificate:
    """The lab's signing certificate, that checkpoints are checked with.

    Raises:
        ConfigurationError: the file is missing or holds no certificate.
    """
    path = lab_key_paths(settings).signing_certificate
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (ValueError, OSError) as exc:
        msg = f"the lab's signing certificate {path} cannot be read: {exc}"
        raise ConfigurationError(msg) from exc


def checkpoint_audit_writes(db: Database, settings: Settings) -> Checkpointer:
    """Checkpoint the chain after each of ``db``'s writes that adds audit events (see
    :mod:`labsys.audit.checkpointing`); the checkpointer, which can also checkpoint on demand."""
    checkpointer = Checkpointer(checkpoint_log(settings), lambda: checkpoint_key(settings))
    checkpointer.attach(db)
    return checkpointer
