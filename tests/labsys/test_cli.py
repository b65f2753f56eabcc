"""The labsys command: database upgrade and creating users from a shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from labsys.companies.models import Role, User
from labsys.companies.passwords import verify_password
from tests.conftest import TestDatabase

pytestmark = pytest.mark.integration


def _labsys(database: TestDatabase, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABSYS_DATABASE_URL": database.standalone_url, "LABSYS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "labsys", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_users_create_makes_a_user_who_signs_in_with_that_password(test_database: TestDatabase, tmp_path: Path) -> None:
    result = _labsys(
        test_database,
        tmp_path,
        "users",
        "create",
        "--email",
        "Kim@Lab.example.com",
        "--password",
        "a-long-password",
        "--role",
        "engineer",
        "--qualification",
        "smu",
        "--qualification",
        "dmm",
    )
    assert result.returncode == 0, result.stderr
    assert "created engineer kim@lab.example.com" in result.stdout
    engine = test_database.engine()
    with Session(engine) as session:
        user = session.exec(select(User)).one()
    engine.dispose()
    assert (user.email, user.role, user.qualifications) == ("kim@lab.example.com", Role.ENGINEER, ["dmm", "smu"])
    assert verify_password(user.password_hash, "a-long-password")


def test_a_customer_without_a_company_is_refused_with_the_reason(test_database: TestDatabase, tmp_path: Path) -> None:
    result = _labsys(
        test_database,
        tmp_path,
        "users",
        "create",
        "--email",
        "c@example.com",
        "--password",
        "a-long-password",
        "--role",
        "customer",
    )
    assert result.returncode != 0
    assert "company_id" in result.stderr


def test_db_upgrade_says_where_the_database_is(test_database: TestDatabase, tmp_path: Path) -> None:
    result = _labsys(test_database, tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "newest schema" in result.stdout


def test_a_bad_setting_stops_the_command_naming_the_variable(test_database: TestDatabase) -> None:
    env = {**os.environ, "LABSYS_DATABASE_URL": test_database.standalone_url, "LABSYS_TOKEN_TTL_MIN": "forever"}
    result = subprocess.run(
        [sys.executable, "-m", "labsys", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "LABSYS_TOKEN_TTL_MIN" in result.stderr
