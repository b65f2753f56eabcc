"""Settings are read once and refuse bad values."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from labsys.errors import ConfigurationError
from labsys.settings import DEMO_SECRET_KEY, Mode, load_settings

pytestmark = pytest.mark.unit


def test_the_default_database_is_an_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'labsys.sqlite3'}"
    assert settings.timezone == "Asia/Seoul"


def test_values_come_from_labsys_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABSYS_DATABASE_URL", "postgresql+psycopg://lab@db/lab")
    monkeypatch.setenv("LABSYS_TOKEN_TTL_MIN", "30")
    settings = load_settings()
    assert settings.resolved_database_url == "postgresql+psycopg://lab@db/lab"
    assert settings.token_ttl_min == 30


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("LABSYS_TOKEN_TTL_MIN", "soon", "LABSYS_TOKEN_TTL_MIN"),
        ("LABSYS_TIMEZONE", "Mars/Olympus", "LABSYS_TIMEZONE"),
        ("LABSYS_DATABASE_URL", "mysql://x", "LABSYS_DATABASE_URL"),
        ("LABSYS_MODE", "staging", "LABSYS_MODE"),
        ("LABSYS_PUBLIC_URL", "lab.example.kr", "LABSYS_PUBLIC_URL"),
        ("LABSYS_PUBLIC_URL", "https://", "LABSYS_PUBLIC_URL"),
        ("LABSYS_TSA_URL", "tsa.example.kr", "LABSYS_TSA_URL"),
        ("LABSYS_TSA_URL", "ftp://tsa.example.kr", "LABSYS_TSA_URL"),
    ],
)
def test_a_bad_value_refuses_to_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=named):
        load_settings()


def test_production_refuses_the_demo_secret() -> None:
    with pytest.raises(ConfigurationError, match="LABSYS_SECRET_KEY"):
        load_settings(mode=Mode.PRODUCTION)
    with pytest.raises(ConfigurationError, match="LABSYS_SECRET_KEY"):
        load_settings(mode=Mode.PRODUCTION, secret_key=DEMO_SECRET_KEY)


def test_production_accepts_its_own_long_secret() -> None:
    settings = load_settings(mode=Mode.PRODUCTION, secret_key="x" * 48)
    assert settings.mode is Mode.PRODUCTION


def test_production_warns_of_defaults_its_certificates_would_print() -> None:
    defaults = load_settings(mode=Mode.PRODUCTION, secret_key="x" * 48)
    configured = load_settings(
        mode=Mode.PRODUCTION,
        secret_key="x" * 48,
        public_url="https://lab.example.kr",
        lab_accreditation_number="KT-123",
    )

    warnings = defaults.warnings()

    assert len(warnings) == 2
    assert "LABSYS_PUBLIC_URL" in warnings[0]
    assert "LABSYS_LAB_ACCREDITATION_NUMBER" in warnings[1]
    assert configured.warnings() == []
    assert load_settings().warnings() == []  # a development lab on one machine is what the defaults are for


def test_settings_given_to_another_process_as_environment_variables_read_back_equal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    given = load_settings(
        data_dir=tmp_path / "lab data",
        extra_closed_dates=["2026-05-05"],
        closed_weekdays=[6],
        demo_bench_port=0,
        lab_name="실증화 지원센터",
    )
    for name in [n for n in os.environ if n.startswith("LABSYS_")]:
        monkeypatch.delenv(name)
    for name, value in given.as_environment().items():
        monkeypatch.setenv(name, value)
    assert load_settings() == given
