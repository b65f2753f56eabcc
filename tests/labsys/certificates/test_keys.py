"""The lab's signing keys: created once on purpose, never behind a production lab's back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from cryptography.x509.oid import NameOID

from labsys.certificates.keys import (
    create_lab_keys,
    ensure_demo_keys,
    lab_key_paths,
    load_lab_signer,
    root_key_online,
)
from labsys.cli import main
from labsys.errors import ConfigurationError
from labsys.settings import Mode, Settings, load_settings

pytestmark = pytest.mark.unit


def _production(data_dir: Path) -> Settings:
    return load_settings(mode=Mode.PRODUCTION, secret_key="p" * 40, data_dir=data_dir)


def test_keys_live_in_the_data_folder_unless_configured(tmp_path: Path) -> None:
    paths = lab_key_paths(load_settings(data_dir=tmp_path))
    assert paths.signing_key == tmp_path / "keys" / "lab-signing.key.pem"
    assert paths.ca_certificate == tmp_path / "keys" / "lab-ca.pem"
    custom = lab_key_paths(load_settings(data_dir=tmp_path, signing_key=tmp_path / "hsm" / "k.pem"))
    assert custom.signing_key == tmp_path / "hsm" / "k.pem"


def test_creating_keys_refuses_to_replace_existing_ones_without_force(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    first = create_lab_keys(settings).paths
    assert all(path.is_file() for path in first.needed)
    assert first.signing_key.stat().st_mode & 0o077 == 0
    before = first.signing_key.read_bytes()
    with pytest.raises(ConfigurationError, match="already exist"):
        create_lab_keys(settings)
    assert first.signing_key.read_bytes() == before
    assert create_lab_keys(settings, force=True).paths.signing_key.read_bytes() != before


def test_a_demo_lab_gets_keys_made_once_and_a_production_lab_never(tmp_path: Path) -> None:
    demo = load_settings(data_dir=tmp_path / "demo")
    made = ensure_demo_keys(demo)
    assert ensure_demo_keys(demo) == made
    assert made.signing_certificate.read_bytes() == ensure_demo_keys(demo).signing_certificate.read_bytes()
    with pytest.raises(ConfigurationError, match="labsys keys init"):
        ensure_demo_keys(_production(tmp_path / "prod"))
    with pytest.raises(ConfigurationError, match="labsys keys init"):
        load_lab_signer(_production(tmp_path / "prod"))
    assert not (tmp_path / "prod" / "keys").exists()


def test_production_signs_with_keys_made_by_the_command(tmp_path: Path) -> None:
    settings = _production(tmp_path)
    create_lab_keys(settings)
    signer, paths = load_lab_signer(settings)
    assert signer.signer is not None
    assert paths.missing() == []


def test_a_half_set_of_keys_is_a_configuration_error(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    create_lab_keys(settings).paths.ca_certificate.unlink()
    with pytest.raises(ConfigurationError, match="missing"):
        ensure_demo_keys(settings)


def test_the_root_key_is_not_kept_in_the_running_lab_s_folder(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    made = create_lab_keys(settings)
    root = x509.load_pem_x509_certificate(made.paths.ca_certificate.read_bytes())
    root_key = load_pem_private_key(made.root_key, password=None)
    assert isinstance(root_key, ec.EllipticCurvePrivateKey)
    assert root_key.public_key() == root.public_key()  # the key that issued the lab's certificates, handed back
    kept = b"".join(path.read_bytes() for path in (tmp_path / "data").rglob("*") if path.is_file())
    assert made.root_key not in kept
    assert made.root_key_file is None


def test_the_root_key_goes_to_a_file_the_operator_names_outside_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    with pytest.raises(ConfigurationError, match="may not be kept in"):
        create_lab_keys(settings, root_key_file=tmp_path / "data" / "offline" / "root.key.pem")
    assert lab_key_paths(settings).missing() == list(lab_key_paths(settings).needed)  # nothing was made

    made = create_lab_keys(settings, root_key_file=tmp_path / "usb" / "root.key.pem")

    assert (tmp_path / "usb" / "root.key.pem").read_bytes() == made.root_key
    assert (tmp_path / "usb" / "root.key.pem").stat().st_mode & 0o077 == 0
    with pytest.raises(ConfigurationError, match="already exists"):
        create_lab_keys(settings, force=True, root_key_file=tmp_path / "usb" / "root.key.pem")


def test_the_lab_s_whole_name_is_in_its_certificates_however_long(tmp_path: Path) -> None:
    long_name = "Industrial Complex Verification Center for Materials, Parts and Equipment"
    paths = create_lab_keys(load_settings(data_dir=tmp_path, lab_name=long_name)).paths
    certificates = [
        x509.load_pem_x509_certificate(p.read_bytes()) for p in (paths.ca_certificate, paths.signing_certificate)
    ]
    for certificate in certificates:
        [organisation] = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        [common_name] = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        assert organisation.value == long_name
        assert not long_name.startswith(str(common_name.value))  # no cut-off name shown as the signer
    assert [c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value for c in certificates] == [
        "Root CA",
        "Test Report Signing",
    ]


def test_the_keys_init_command_creates_the_keys_prints_the_root_key_once_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from labsys.settings import get_settings

    monkeypatch.setenv("LABSYS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        created = runner.invoke(main, ["keys", "init"])
        assert created.exit_code == 0, created.output
        assert "lab-ca.pem" in created.stderr
        assert created.stdout.startswith("-----BEGIN PRIVATE KEY-----")  # only the key: `> offline.pem` keeps it
        assert created.stdout.encode() not in b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*.pem"))
        again = runner.invoke(main, ["keys", "init"])
        assert again.exit_code == 1
        assert "--force" in again.output
        offline = tmp_path / "usb" / "root.key.pem"
        replaced = runner.invoke(main, ["keys", "init", "--force", "--root-key", str(offline)])
        assert replaced.exit_code == 0, replaced.output
        assert replaced.stdout == ""
        assert f"root key:            {offline}" in replaced.stderr
        assert offline.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    finally:
        get_settings.cache_clear()


def test_a_root_key_an_older_version_left_beside_the_signing_key_is_found(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    create_lab_keys(settings)
    assert root_key_online(settings) is None
    lab_key_paths(settings).online_root_key.write_bytes(b"-----BEGIN PRIVATE KEY-----\n")
    assert root_key_online(settings) == tmp_path / "keys" / "lab-ca.key.pem"
