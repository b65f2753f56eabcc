"""Fixtures shared by every test: one fresh database per test, its services, and a session for test data.

A test runs on a temporary SQLite file, or, when ``LABSYS_TEST_DATABASE_URL`` is set, in a PostgreSQL schema of
its own that is dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

# The tests configure the lab themselves: nothing from the developer's shell may leak in.
for _name in [n for n in os.environ if n.startswith("LABSYS_") and n != "LABSYS_TEST_DATABASE_URL"]:
    del os.environ[_name]

from labsys.db import Database, create_lab_engine  # noqa: E402
from labsys.models import metadata  # noqa: E402
from labsys.services import LabServices  # noqa: E402
from labsys.settings import Settings, load_settings  # noqa: E402
from tests.factories import Lab, make_lab  # noqa: E402

POSTGRES_URL = os.environ.get("LABSYS_TEST_DATABASE_URL", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` need a server; without one they are reported as skipped, never silently passed."""
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="needs LABSYS_TEST_DATABASE_URL (CI runs these on PostgreSQL 15)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


class TestDatabase:
    """A database of one test's own: its URL, and the schema on PostgreSQL."""

    __test__ = False

    def __init__(self, url: str, schema: str | None) -> None:
        self.url = url
        self.schema = schema

    @property
    def standalone_url(self) -> str:
        """A URL that reaches this database from another process (the schema travels in the URL)."""
        if self.schema is None:
            return self.url
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}options=-csearch_path%3D{self.schema}"

    def engine(self, **kwargs: object) -> Engine:
        """A new engine on this database."""
        return create_lab_engine(self.url, schema=self.schema, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def test_database(tmp_path: Path) -> Iterator[TestDatabase]:
    """An empty database for one test."""
    if not POSTGRES_URL:
        yield TestDatabase(f"sqlite:///{tmp_path / 'lab.sqlite3'}", None)
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_lab_engine(POSTGRES_URL)
    with admin.begin() as connection:
        # Reservations' exclusion constraint needs GiST equality on integers; the extension is per database.
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS btree_gist"))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield TestDatabase(POSTGRES_URL, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(test_database: TestDatabase) -> Iterator[Engine]:
    """An engine on a fresh database with every table of the lab."""
    engine = test_database.engine()
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the fresh database, for making and checking test data (commit what you make)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def db(engine: Engine) -> Database:
    """The fresh database as the services use it."""
    return Database(engine)


@pytest.fixture
def services(settings: Settings, db: Database) -> LabServices:
    """The lab's services on the fresh database."""
    return LabServices.build(settings, db)


@pytest.fixture
def settings(tmp_path: Path, test_database: TestDatabase) -> Settings:
    """Settings for a lab whose data folder is the test's temporary folder."""
    return load_settings(data_dir=tmp_path / "data", database_url=test_database.url)


@pytest.fixture
def lab(session: Session) -> Lab:
    """A small lab: the demo catalog, one calibrated instrument per kind, a qualified engineer, two customers."""
    return make_lab(session)
