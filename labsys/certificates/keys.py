"""The lab's signing keys: where they live, creating them once, and loading the signer for issuing.

A production lab creates its PKI deliberately (``labsys keys init``) or installs a certificate from a trust
service; nothing creates keys behind its back. A development or demo lab gets its keys made on first use, and its
root CA's private key is discarded: a demo never renews its signing certificate, it makes new keys.
The running lab never holds its root CA's private key.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from labsys.errors import ConfigurationError
from labsys.settings import Mode, Settings
from results.certificates import LabSigner, SigningKeyError, load_signer, new_lab_pki, write_private

__all__ = [
    "LabKeyPaths",
    "NewLabKeys",
    "create_lab_keys",
    "ensure_demo_keys",
    "lab_key_paths",
    "load_lab_signer",
    "root_key_online",
    "usable_key_paths",
]


@dataclass(frozen=True)
class LabKeyPaths:
    """The PEM files the lab signs and verifies reports with (the root CA's private key is not one of them: it
    stays offline, see :func:`create_lab_keys`).

    Attributes:
        signing_key: The document-signing private key (secret, mode 0600).
        signing_certificate: The document-signing certificate.
        ca_certificate: The lab's root certificate: the trust root that verification checks against.
    """

    signing_key: Path
    signing_certificate: Path
    ca_certificate: Path

    @property
    def needed(self) -> tuple[Path, Path, Path]:
        """The files issuing needs."""
        return (self.signing_key, self.signing_certificate, self.ca_certificate)

    @property
    def online_root_key(self) -> Path:
        """Where ``labsys keys init`` once left the root CA's private key, beside the signing key."""
        return self.signing_key.parent / "lab-ca.key.pem"

    def missing(self) -> list[Path]:
        """The needed files that do not exist."""
        return [path for path in self.needed if not path.is_file()]


@dataclass(frozen=True)
class NewLabKeys:
    """Keys just made: the lab's files, and the root CA's private key, which the lab does not keep.

    Attributes:
        paths: The files the lab now signs with.
        root_key: The root CA's private key (PEM): it issued the signing certificate and signs nothing else until
            that certificate is renewed, so it belongs offline.
        root_key_file: Where it was written at the operator's request, or None (it was written nowhere).
    """

    paths: LabKeyPaths
    root_key: bytes
    root_key_file: Path | None


def lab_key_paths(settings: Settings) -> LabKeyPaths:
    """The configured key files; unset ones default to ``<data_dir>/keys/``."""
    keys = settings.data_dir / "keys"
    return LabKeyPaths(
        signing_key=settings.signing_key or keys / "lab-signing.key.pem",
        signing_certificate=settings.signing_certificate or keys / "lab-signing.pem",
        ca_certificate=settings.ca_certificate or keys / "lab-ca.pem",
    )


#: Serialises making demo keys: two first requests at once must not interleave two key sets.
_DEMO_KEYS_LOCK = threading.Lock()


def create_lab_keys(settings: Settings, *, force: bool = False, root_key_file: Path | None = None) -> NewLabKeys:
    """Create the lab's root CA and document-signing certificate; the lab keeps the signing key and both
    certificates at the configured paths, and not the root's private key.

    Args:
        settings: The lab's settings (lab name and key paths).
        force: Replace existing key files. Reports signed with the old keys then no longer chain to the new root.
        root_key_file: A new file to write the root's private key to (mode 0600), for the operator to move
            offline; it may not be in the data folder nor beside the signing key. None: written nowhere (the
            caller shows :attr:`NewLabKeys.root_key` once, or discards it).

    Raises:
        ConfigurationError: a key file exists and ``force`` is not set; ``root_key_file`` exists or lies where the
            running lab keeps its files.
    """
    paths = lab_key_paths(settings)
    existing = [path for path in paths.needed if path.exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        msg = f"the lab's keys already exist ({names}); replacing them needs --force"
        raise ConfigurationError(msg)
    if root_key_file is not None:
        _check_offline(root_key_file, settings, paths)
    made = new_lab_pki(settings.lab_name)
    if root_key_file is not None:  # first: if it cannot be written, the lab is left as it was
        root_key_file.parent.mkdir(parents=True, exist_ok=True)
        write_private(root_key_file, made.ca_key)
    paths.signing_key.parent.mkdir(parents=True, exist_ok=True)
    # Written in a scratch folder beside the target, then moved: a failure leaves no half set of keys.
    with tempfile.TemporaryDirectory(dir=paths.signing_key.parent, prefix=".keys-") as scratch:
        staged = Path(scratch)
        write_private(staged / "signing.key.pem", made.signing_key)
        (staged / "signing.pem").write_bytes(made.signing_certificate)
        (staged / "ca.pem").write_bytes(made.ca_certificate)
        for name, target in (
            ("signing.key.pem", paths.signing_key),
            ("signing.pem", paths.signing_certificate),
            ("ca.pem", paths.ca_certificate),
        ):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staged / name, target)
    return NewLabKeys(paths, made.ca_key, root_key_file)


def _check_offline(root_key_file: Path, settings: Settings, paths: LabKeyPaths) -> None:
    if root_key_file.exists():
        msg = f"{root_key_file} already exists: name a new file for the root key"
        raise ConfigurationError(msg)
    target = root_key_file.resolve()
    for online in (settings.data_dir, paths.signing_key.parent):
        if target.is_relative_to(online.resolve()):
            msg = (
                f"the root key may not be kept in {online}, where the running lab keeps its files: name a file "
                "elsewhere (a removable drive) and keep it offline"
            )
            raise ConfigurationError(msg)


def root_key_online(settings: Settings) -> Path | None:
    """The root CA's private key if it sits beside the signing key (left there by an older ``labsys keys init``)."""
    online = lab_key_paths(settings).online_root_key
    return online if online.exists() else None


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
        return create_lab_keys(settings).paths  # the demo's root key is discarded: nothing needs it again


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
    """The signer for issuing reports (timestamping each signature where the lab has a timestamp authority), and
    the key files it came from.

    In development mode missing keys are created (:func:`ensure_demo_keys`); in production they never are.

    Raises:
        ConfigurationError: keys missing in production mode, or files that hold no usable key or certificate.
    """
    paths = usable_key_paths(settings)
    try:
        signer = load_signer(
            paths.signing_key, paths.signing_certificate, paths.ca_certificate, timestamp_url=settings.tsa_url or None
        )
    except (SigningKeyError, ValueError, OSError) as exc:
        msg = f"the lab's signing key or certificate cannot be used: {exc}"
        raise ConfigurationError(msg) from exc
    return signer, paths
