"""The audit chain: every change appends a hashed event; tampering is found and named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from enum import Enum, IntEnum, StrEnum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from labsys.audit import Actor, AuditEvent, Change, record, record_all, snapshot, verify_chain
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


def _cli(database: TestDatabase, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABSYS_DATABASE_URL": database.standalone_url}
    return subprocess.run(
        [sys.executable, "-m", "labsys", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_labsys_audit_verify_exits_nonzero_naming_a_row_changed_in_the_database(
    test_database: TestDatabase,
) -> None:
    engine: Engine = test_database.engine()
    upgrade(engine)
    with Session(engine) as session:
        make_company(session)  # two events: the company and its first user
        make_company(session)
    ok = _cli(test_database, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "intact: 4 events" in ok.stdout
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET entity_id = '999' WHERE id = 3"))
    broken = _cli(test_database, "audit", "verify")
    assert broken.returncode == 1
    assert "event 3" in broken.stderr
    engine.dispose()


def test_changes_appended_together_are_chained_in_order(session: Session) -> None:
    _events(session, 2)
    actor = Actor("tester", 7)
    ids = record_all(
        session,
        [
            Change(actor, "thing.made", "thing", 1, after={"n": 1}),
            Change(actor, "thing.sold", "thing", 1, before={"n": 1}),
        ],
    )
    session.commit()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert ids == [3, 4]
    assert [e.action for e in events[2:]] == ["thing.made", "thing.sold"]
    assert (events[3].before, events[3].after, events[3].actor_id) == ({"n": 1}, None, 7)
    assert verify_chain(session) == (4, None)


def test_versions_derived_from_one_snapshot_read_back_as_written_and_verify(session: Session) -> None:
    made = snapshot({"status": BookingStatus.QUOTED, "starts_at": datetime(2027, 3, 2, 1, 0, tzinfo=UTC), "n": 1})
    assert snapshot(made) is made  # appending it copies it no more
    assert made == {"n": 1, "starts_at": "2027-03-02T01:00:00+00:00", "status": "quoted"}
    asked = made.with_values(status=BookingStatus.REQUESTED, due=date(2027, 3, 9))
    assert list(asked) == ["due", "n", "starts_at", "status"]  # what is added is copied too, keys in order
    assert asked == {"due": "2027-03-09", "n": 1, "starts_at": "2027-03-02T01:00:00+00:00", "status": "requested"}
    assert made["status"] == "quoted"  # the snapshot it came from is unchanged

    actor = Actor("tester", 7)
    record_all(
        session,
        [Change(actor, "thing.asked", "thing", 1, after=asked), Change(actor, "thing.made", "thing", 1, asked, made)],
    )
    session.commit()
    session.expire_all()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.before, e.after) for e in events] == [(None, asked), (asked, made)]
    assert verify_chain(session) == (2, None)


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
    # Each version is serialized once, for its hash and for the database: the stored event must hash the same.
    [event_id] = record_all(session, [Change(Actor(actor), "thing.changed", "thing", entity_id, before, after)])
    session.commit()
    session.expire_all()
    event = session.get(AuditEvent, event_id)
    assert event is not None
    assert (event.before, event.after, event.actor, event.entity_id) == (before, after, actor, entity_id)
    assert verify_chain(session)[1] is None


class _Shade(Enum):
    DARK = "dark"


class _Level(IntEnum):
    HIGH = 3


class _Kind(StrEnum):
    SMU = "smu"


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too
    | st.text()
    | st.datetimes(timezones=st.just(UTC))
    | st.dates()
    | st.sampled_from([_Shade.DARK, _Level.HIGH, _Kind.SMU, BookingStatus.QUOTED])
)
_KEYS = st.text(max_size=6) | st.integers() | st.floats() | st.booleans() | st.none() | st.sampled_from([_Kind.SMU])
_NESTED = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(_KEYS, inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


def _through_json(values: dict[Any, Any]) -> Any:
    def plain(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Enum):
            return value.value
        raise TypeError(type(value).__name__)

    return json.loads(json.dumps(values, default=plain, sort_keys=True))


@given(values=st.dictionaries(_KEYS, _NESTED, max_size=4))
@settings(max_examples=400, deadline=None)
def test_a_snapshot_holds_exactly_what_a_json_round_trip_would_in_the_same_order(values: dict[Any, Any]) -> None:
    try:
        expected = _through_json(values)
    except TypeError:  # keys of kinds that cannot be sorted together
        with pytest.raises(TypeError):
            snapshot(values)
        return
    made = snapshot(values)
    # As text, unsorted: the same members in the same order, the same types (1 and 1.0, true and 1), NaN alike.
    assert json.dumps(made) == json.dumps(expected)
    assert _types(made) == _types(expected)  # plain values only: no enum member is left as it was


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {(type(key), key): _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)
