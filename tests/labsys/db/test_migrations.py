"""Migrations build the whole schema from empty, and the models agree with them."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from labsys.migrations import alembic_config, current_revision, upgrade
from labsys.models import metadata
from tests.conftest import TestDatabase

pytestmark = pytest.mark.integration


def test_migrations_go_from_empty_to_head_and_autogenerate_finds_no_difference(test_database: TestDatabase) -> None:
    engine = test_database.engine()
    assert current_revision(engine) is None
    upgrade(engine)
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current_revision(engine) == head
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)
    assert diff == []
    engine.dispose()


def test_upgrading_twice_changes_nothing(test_database: TestDatabase) -> None:
    engine = test_database.engine()
    upgrade(engine)
    before = current_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == before
    engine.dispose()
