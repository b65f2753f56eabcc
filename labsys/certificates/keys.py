"""The lab's signing keys: where they live, creating them once, and loading the signer for issuing.

A production lab creates its PKI deliberately (``labsys keys init``) or installs a certificate from a trust
service; nothing creates keys behind its back. A development or demo lab gets its keys made on first use.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from labsys.errors import ConfigurationError
from labsys.settings import Mode, Settings
from results.certificates import LabSigner, SigningKeyError, create_lab_pki, load_signer

__all__ = ["LabKeyPaths", "create_lab_keys", "ensure_demo_keys", "lab_key_paths", "load_lab_signer", "pki_name"]


@dataclass(frozen=True)
class LabKeyPaths:
    """The PEM files the lab signs and verifies reports with.

    Attributes:
        signing_key: The document-signing private key (secret, mode 0600).
        signing_certificate: The document-signing certificate.
        ca_certificate: The lab's root certificate: the trust root that verification checks against.
        ca_key: The root's private key, written by ``labsys keys init`` next to the signing key; keep it offline.
    """

    signing_key: Path
    signing_certificate: Path
    ca_certificate: Path
    ca_key: Path

    @property
    def needed(self) -> tuple[Path, Path, Path]:
        """The files issuing needs (the CA key is not one of them)."""
        return (self.signing_key, self.signing_certificate, self.ca_certificate)

    def missing(self) -> list[Path]:
        """The needed files that do not exist."""
        return [path for path in self.needed if not path.is_file()]


def lab_key_paths(settings: Settings) -> LabKeyPaths:
    """The configured key files; unset ones default to ``<data_dir>/keys/``."""
    keys = settings.data_dir / "keys"
    signing_key = settings.signing_key or keys / "lab-signing.key.pem"
    return LabKeyPaths(
        signing_key=signing_key,
        signing_certificate=settings.signing_certificate or keys / "lab-signing.pem",
        ca_certificate=settings.ca_certificate or keys / "lab-ca.pem",
        ca_key=signing_key.parent / "lab-ca.key.pem",
    )


#: Serialises making demo keys: two first requests at once must not interleave two key sets.
_DEMO_KEYS_LOCK = threading.Lock()

#: X.509 limits a common name to 64 characters; the signing certificate's is the name + " Test Report Signing".
_PKI_NAME_MAX = 64 - len(" Test Report Signing")


def pki_name(lab_name: str) -> str:
    """The lab's name as its certificates can hold it: whole words, at most 44 characters.

    ``create_lab_pki`` builds common names from the name it is given, and X.509 refuses one over 64 characters
    (the default lab name has 73).
    """
    if len(lab_name) <= _PKI_NAME_MAX:
        return lab_name
    words, kept = lab_name.split(), ""
    for word in words:
        if len(f"{kept} {word}".strip()) > _PKI_NAME_MAX:
            break
        kept = f"{kept} {word}".strip()
    return kept or lab_name[:_PKI_NAME_MAX]


def create_lab_keys(settings: Settings, *, force: bool = False) -> LabKeyPaths:
    """Create the lab's root CA and document-signing certificate at the configured paths.

    Args:
        settings: The lab's settings (lab name and key paths).
        force: Replace existing key files. Reports signed with the old keys then no longer chain to the new root.

    Raises:
        ConfigurationError: a key file exists and ``force`` is not set.
    """
    paths = lab_key_paths(settings)
    existing = [path for path in (*paths.needed, paths.ca_key) if path.exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        msg = f"the lab's keys already exist ({names}); replacing them needs --force"
        raise ConfigurationError(msg)
    paths.signing_key.parent.mkdir(parents=True, exist_ok=True)
    # Made in a scratch folder beside the target, then moved: a failure leaves no half set of keys.
    with tempfile.TemporaryDirectory(dir=paths.signing_key.parent, prefix=".keys-") as scratch:
        made = create_lab_pki(Path(scratch), pki_name(settings.lab_name))
        for source, target in (
            (made.signing_key, paths.signing_key),
            (made.signing_certificate, paths.signing_certificate),
            (made.ca_certificate, paths.ca_certificate),
            (made.ca_key, paths.ca_key),
        ):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
    return paths


def ensure_demo_keys(settings: Settings) -> LabKeyPaths:
    """The lab's key files, created first if none exist (what ``labsys serve --demo`` calls).

    Raises:
        ConfigurationError: in production mode with keys missing (a production lab creates its keys itself),
            or with only some of the files present.
    """
    paths = lab_key_paths(settings)
    missing = paths.missing()
    if not missing:
        return paths
    if settings.mode is Mode.PRODUCTION:
        raise _missing_keys(missing)
    with _DEMO_KEYS_LOCK:
        missing = paths.missing()  # another thread may have made them while this one waited
        if not missing:
            return paths
        if len(missing) < len(paths.needed):
            names = ", ".join(str(path) for path in missing)
            msg = f"some of the lab's key files are missing ({names}); restore them or run `labsys keys init --force`"
            raise ConfigurationError(msg)
        return create_lab_keys(settings)


def _missing_keys(missing: list[Path]) -> ConfigurationError:
    names = ", ".join(str(path) for path in missing)
    return ConfigurationError(
        f"the lab cannot sign reports: missing {names}; create the keys with `labsys keys init` "
        "or set LABSYS_SIGNING_KEY, LABSYS_SIGNING_CERTIFICATE and LABSYS_CA_CERTIFICATE"
    )


def usable_key_paths(settings: Settings) -> LabKeyPaths:
    """The key files the lab signs with, made first in development mode if there are none.

    Raises:
        ConfigurationError: keys missing in production mode (a production lab creates its keys itself).
    """
    paths = lab_key_paths(settings)
    missing = paths.missing()
    if missing and settings.mode is Mode.PRODUCTION:
        raise _missing_keys(missing)
    if missing:
        paths = ensure_demo_keys(settings)
    return paths


def load_lab_signer(settings: Settings) -> tuple[LabSigner, LabKeyPaths]:
    """The signer for issuing reports, and the key files it came from.

    In development mode missing keys are created (:func:`ensure_demo_keys`); in production they never are.

    Raises:
        ConfigurationError: keys missing in production mode, or files that hold no usable key or certificate.
    """
    paths = usable_key_paths(settings)
    try:
        signer = load_signer(paths.signing_key, paths.signing_certificate, paths.ca_certificate)
    except (SigningKeyError, ValueError, OSError) as exc:
        msg = f"the lab's signing key or certificate cannot be used: {exc}"
        raise ConfigurationError(msg) from exc
    return signer, paths
