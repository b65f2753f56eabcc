"""The audit chain: every change appends a hashed event; tampering is found and named."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from labsys.audit import Actor, AuditEvent, record, snapshot, verify_chain
from labsys.bookings.models import BookingStatus
from labsys.migrations import upgrade
from tests.conftest import TestDatabase
from tests.factories import make_company

pytestmark = pytest.mark.integration


def _events(session: Session, n: int) -> None:
    for i in range(n):
        record(session, actor=Actor("tester"), action="thing.changed", entity_type="thing", entity_id=i, after={"i": i})
    session.commit()


def test_an_untouched_chain_verifies(session: Session) -> None:
    _events(session, 5)
    count, broken = verify_chain(session)
    assert (count, broken) == (5, None)


def test_each_event_hashes_the_one_before(session: Session) -> None:
    _events(session, 3)
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert events[0].prev_hash == "0" * 64
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]


def test_a_changed_event_is_named(session: Session) -> None:
    _events(session, 4)
    session.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = 3"))
    session.commit()
    count, broken = verify_chain(session)
    assert count == 2
    assert broken is not None
    assert broken.event_id == 3
    assert "changed" in broken.reason


def test_a_deleted_event_is_named(session: Session) -> None:
    _events(session, 4)
    session.execute(text("DELETE FROM audit_event WHERE id = 2"))
    session.commit()
    _, broken = verify_chain(session)
    assert broken is not None
    assert broken.event_id == 2


def test_a_rolled_back_change_leaves_no_event(session: Session) -> None:
    _events(session, 1)
    record(session, actor=Actor("tester"), action="thing.changed", entity_type="thing", entity_id=9)
    session.rollback()
    assert verify_chain(session) == (1, None)


def _cli(database: TestDatabase, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABSYS_DATABASE_URL": database.standalone_url, "LABSYS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "labsys", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_labsys_audit_verify_exits_nonzero_naming_a_row_changed_in_the_database(
    test_database: TestDatabase, tmp_path: Path
) -> None:
    engine: Engine = test_database.engine()
    upgrade(engine)
    with Session(engine) as session:
        make_company(session)  # two events: the company and its first user
        make_company(session)
    ok = _cli(test_database, tmp_path, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "intact: 4 events" in ok.stdout
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET entity_id = '999' WHERE id = 3"))
    broken = _cli(test_database, tmp_path, "audit", "verify")
    assert broken.returncode == 1
    assert "event 3" in broken.stderr
    engine.dispose()


def test_changes_of_one_transaction_are_chained_in_order(session: Session) -> None:
    _events(session, 2)
    actor = Actor("tester", 7)
    ids = [
        record(session, actor=actor, action="thing.made", entity_type="thing", entity_id=1, after={"n": 1}),
        record(session, actor=actor, action="thing.sold", entity_type="thing", entity_id=1, before={"n": 1}),
    ]
    session.commit()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert ids == [3, 4]
    assert [e.action for e in events[2:]] == ["thing.made", "thing.sold"]
    assert (events[3].before, events[3].after, events[3].actor_id) == ({"n": 1}, None, 7)
    assert verify_chain(session) == (4, None)


def test_times_and_enums_are_kept_as_text_and_read_back_as_written(session: Session) -> None:
    version = {
        "status": BookingStatus.QUOTED,
        "starts_at": datetime(2027, 3, 2, 1, 0, tzinfo=UTC),
        "due": date(2027, 3, 9),
    }
    assert snapshot(version) == {"status": "quoted", "starts_at": "2027-03-02T01:00:00+00:00", "due": "2027-03-09"}
    record(session, actor=Actor("tester", 7), action="thing.made", entity_type="thing", entity_id=1, after=version)
    session.commit()
    session.expire_all()
    [event] = session.exec(select(AuditEvent)).all()
    assert event.after == snapshot(version)
    assert verify_chain(session) == (1, None)


# JSON has no infinity (PostgreSQL's json type refuses it), and no audited record holds one.
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_VERSION = st.none() | st.dictionaries(st.text(max_size=8), _JSON_VALUES, max_size=4)


# A column of text holds no NUL on PostgreSQL (requests carrying one are refused: api.text_input); JSON escapes it.
_NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_VERSION, after=_VERSION, actor=_NAME.filter(bool), entity_id=_NAME)
def test_events_holding_any_json_read_back_as_written_and_verify(
    session: Session, before: dict[str, object] | None, after: dict[str, object] | None, actor: str, entity_id: str
) -> None:
    # What is hashed must be exactly what the database gives back, whatever JSON the versions hold.
    event_id = record(
        session, actor=Actor(actor), action="thing.changed", entity_type="thing", entity_id=entity_id,
        before=before, after=after,
    )  # fmt: skip
    session.commit()
    session.expire_all()
    event = session.get(AuditEvent, event_id)
    assert event is not None
    assert (event.before, event.after, event.actor, event.entity_id) == (before, after, actor, entity_id)
    assert verify_chain(session)[1] is None
