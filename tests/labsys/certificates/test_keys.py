"""The lab's signing keys: created once on purpose, never behind a production lab's back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from labsys.certificates.keys import create_lab_keys, ensure_demo_keys, lab_key_paths, load_lab_signer, pki_name
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
    assert custom.ca_key == tmp_path / "hsm" / "lab-ca.key.pem"


def test_creating_keys_refuses_to_replace_existing_ones_without_force(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    first = create_lab_keys(settings)
    assert all(path.is_file() for path in first.needed)
    assert first.signing_key.stat().st_mode & 0o077 == 0
    before = first.signing_key.read_bytes()
    with pytest.raises(ConfigurationError, match="already exist"):
        create_lab_keys(settings)
    assert first.signing_key.read_bytes() == before
    assert create_lab_keys(settings, force=True).signing_key.read_bytes() != before


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
    create_lab_keys(settings).ca_certificate.unlink()
    with pytest.raises(ConfigurationError, match="missing"):
        ensure_demo_keys(settings)


def test_a_long_lab_name_is_shortened_to_whole_words_for_the_certificates() -> None:
    long_name = "Industrial Complex Verification Center for Materials, Parts and Equipment"
    assert pki_name(long_name) == "Industrial Complex Verification Center for"
    assert pki_name("Hanbit Lab") == "Hanbit Lab"


def test_the_keys_init_command_creates_the_keys_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from labsys.settings import get_settings

    monkeypatch.setenv("LABSYS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        created = runner.invoke(main, ["keys", "init"])
        assert created.exit_code == 0, created.output
        assert "lab-ca.pem" in created.output
        again = runner.invoke(main, ["keys", "init"])
        assert again.exit_code == 1
        assert "--force" in again.output
        assert runner.invoke(main, ["keys", "init", "--force"]).exit_code == 0
    finally:
        get_settings.cache_clear()
