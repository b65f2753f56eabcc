"""Signed checkpoints of the chain's head: a chain rewritten from an edited event on, or cut short, no longer matches
them, and a changed checkpoint file no longer holds its signatures."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from labsys.audit import Actor, AuditEvent, AuditHead, record, verify_chain
from labsys.audit.chain import event_hash
from labsys.audit.checkpoint_check import Trouble
from labsys.audit.checkpointing import Checkpointer
from labsys.audit.checkpoints import Checkpoint, CheckpointKey, CheckpointLog
from labsys.audit.verification import AuditVerification, verification_lines, verify_audit_trail
from labsys.cli import main
from labsys.db import Database
from labsys.errors import ConfigurationError
from labsys.migrations import upgrade
from labsys.settings import get_settings
from results.certificates.pki import create_lab_pki
from tests.conftest import TestDatabase
from tests.factories import make_company

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def lab_key(tmp_path_factory: pytest.TempPathFactory) -> CheckpointKey:
    pki = create_lab_pki(tmp_path_factory.mktemp("pki"), "Hanbit Lab")
    return CheckpointKey.load(pki.signing_key, pki.signing_certificate)


@pytest.fixture
def checkpoints(tmp_path: Path) -> CheckpointLog:
    return CheckpointLog(tmp_path / "audit" / "checkpoints.jsonl")


@pytest.fixture
def checkpointed(engine: Engine, checkpoints: CheckpointLog, lab_key: CheckpointKey) -> Database:
    """The database as the lab uses it: each write that adds events is checkpointed once it commits."""
    db = Database(engine)
    Checkpointer(checkpoints, lambda: lab_key).attach(db)
    return db


def _changes(db: Database, n: int) -> None:
    """``n`` write transactions, each adding one event."""
    for i in range(n):
        with db.writing() as session:
            record(session, actor=Actor("tester"), action="thing.changed", entity_type="thing", entity_id=i)


def _rewrite_from(session: Session, event_id: int) -> None:
    """Change an event and recompute every hash from it on, as someone covering their tracks would."""
    events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    events[event_id - 1].actor = "mallory"
    for before, event in zip([None, *events[:-1]], events, strict=True):
        if event.id >= event_id:
            event.prev_hash = before.hash if before else "0" * 64
            event.hash = event_hash(event)
            session.add(event)
    head = session.get(AuditHead, 1)
    assert head is not None
    head.last_hash = events[-1].hash
    session.add(head)
    session.commit()


def _verify(db: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey) -> AuditVerification:
    return verify_audit_trail(db, checkpoints, lambda: lab_key.certificate)


def test_each_committed_write_that_adds_events_leaves_one_signed_checkpoint_of_its_head(
    checkpointed: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey
) -> None:
    _changes(checkpointed, 3)
    with checkpointed.writing() as session:  # a write that adds no event
        session.get(AuditHead, 1)
    with checkpointed.writing() as session:  # two events in one transaction
        for n in (7, 8):
            record(session, actor=Actor("tester"), action="thing.made", entity_type="thing", entity_id=n)

    lines = checkpoints.read()

    made = [entry for _, entry in lines]
    assert [c.sequence for c in made if isinstance(c, Checkpoint)] == [1, 2, 3, 5]
    assert all(isinstance(c, Checkpoint) and c.signed_by(lab_key.certificate) for c in made)
    with checkpointed.reading() as session:
        assert session.get(AuditEvent, 5).hash == made[-1].head  # type: ignore[union-attr]


def test_a_rolled_back_write_leaves_no_checkpoint(checkpointed: Database, checkpoints: CheckpointLog) -> None:
    _changes(checkpointed, 1)

    def failing_change() -> None:
        with checkpointed.writing() as session:
            record(session, actor=Actor("tester"), action="thing.changed", entity_type="thing", entity_id=9)
            raise RuntimeError("the change fails after its event was recorded")

    with pytest.raises(RuntimeError):
        failing_change()
    assert [entry.sequence for _, entry in checkpoints.read() if isinstance(entry, Checkpoint)] == [1]


def test_an_untouched_chain_matches_every_checkpoint(
    checkpointed: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey
) -> None:
    _changes(checkpointed, 5)
    found = _verify(checkpointed, checkpoints, lab_key)
    assert found.ok
    assert found.checkpoints is not None
    assert found.checkpoints.holding == [1, 2, 3, 4, 5]
    assert "5 signed checkpoints hold, the newest of event 5" in verification_lines(found)[1][0]


def test_a_chain_rewritten_from_an_edited_event_on_verifies_in_itself_but_not_against_its_checkpoints(
    checkpointed: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey, session: Session
) -> None:
    _changes(checkpointed, 5)
    _rewrite_from(session, 3)
    assert verify_chain(session) == (5, None)  # the database alone cannot tell

    found = _verify(checkpointed, checkpoints, lab_key)

    assert not found.ok
    assert found.checkpoints is not None
    assert found.checkpoints.rewritten_between == (3, 3)
    assert [(p.sequence, p.trouble) for p in found.checkpoints.problems] == [(s, Trouble.CHAIN) for s in (3, 4, 5)]
    said = "\n".join(line for line, _ in verification_lines(found))
    assert "audit chain REWRITTEN: it differs from its signed checkpoints at event 3" in said
    assert "event 3 does not have the hash its checkpoint signed" in said


def test_a_chain_cut_short_no_longer_holds_the_events_its_checkpoints_signed(
    checkpointed: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey, session: Session
) -> None:
    _changes(checkpointed, 4)
    for event in session.exec(select(AuditEvent).where(col(AuditEvent.id) > 2)).all():
        session.delete(event)
    head = session.get(AuditHead, 1)
    assert head is not None
    head.last_id, head.last_hash = 2, session.get(AuditEvent, 2).hash  # type: ignore[union-attr]
    session.add(head)
    session.commit()
    assert verify_chain(session) == (2, None)

    found = _verify(checkpointed, checkpoints, lab_key)

    assert found.checkpoints is not None
    assert found.checkpoints.rewritten_between == (3, 3)
    assert "events were removed" in found.checkpoints.problems[0].reason


def test_a_changed_checkpoint_no_longer_holds_its_signature(
    checkpointed: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey
) -> None:
    _changes(checkpointed, 3)
    lines = checkpoints.path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"sequence":2', '"sequence":3')  # a forger moves a checkpoint on
    lines.append("not a checkpoint\n")
    checkpoints.path.write_text("".join(lines))

    found = _verify(checkpointed, checkpoints, lab_key)

    assert found.checkpoints is not None
    assert [(p.line, p.trouble) for p in found.checkpoints.problems] == [
        (2, Trouble.SIGNATURE),
        (4, Trouble.UNREADABLE),
    ]
    said = "\n".join(line for line, _ in verification_lines(found))
    assert "the signature of the checkpoint of event 3 does not hold: the checkpoint file was changed" in said


def test_a_checkpoint_signed_with_another_key_does_not_hold(
    checkpointed: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey, tmp_path: Path
) -> None:
    _changes(checkpointed, 1)
    other = create_lab_pki(tmp_path / "other", "Some Other Lab")
    with checkpointed.reading() as session:
        event = session.get(AuditEvent, 1)
        assert event is not None
    forged = CheckpointKey.load(other.signing_key, other.signing_certificate)
    checkpoints.append(forged.sign(sequence=1, head=event.hash, at=datetime.now(UTC)))

    found = _verify(checkpointed, checkpoints, lab_key)

    assert found.checkpoints is not None
    assert [p.trouble for p in found.checkpoints.problems] == [Trouble.SIGNATURE]
    assert "not the lab's signing certificate" in found.checkpoints.problems[0].reason


def test_without_a_checkpoint_file_the_chain_is_checked_in_itself_with_a_warning(
    db: Database, session: Session, checkpoints: CheckpointLog, lab_key: CheckpointKey
) -> None:
    record(session, actor=Actor("tester"), action="thing.changed", entity_type="thing", entity_id=1)
    session.commit()

    found = _verify(db, checkpoints, lab_key)

    assert found.ok
    assert found.checkpoints is None
    warning = (
        f"warning: no signed checkpoints at {checkpoints.path}: a chain rewritten from an event on cannot be told "
        "from the true one"
    )
    assert verification_lines(found)[-1] == (warning, True)


def test_events_after_the_newest_checkpoint_are_named(
    checkpointed: Database, db: Database, checkpoints: CheckpointLog, lab_key: CheckpointKey
) -> None:
    _changes(checkpointed, 2)
    _changes(db, 2)  # written without checkpoints (a lab whose keys were missing)
    found = _verify(checkpointed, checkpoints, lab_key)
    assert found.ok
    assert ("events 3 to 4 are newer than every checkpoint", False) in verification_lines(found)


def _labsys(database: TestDatabase, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LABSYS_DATABASE_URL": database.standalone_url, "LABSYS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "labsys", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _three_users(database: TestDatabase, data_dir: Path) -> None:
    for name in ("kim", "lee", "park"):
        made = _labsys(
            database, data_dir, "users", "create", "--email", f"{name}@lab.example.com", "--password",
            "a-long-password", "--role", "reviewer",
        )  # fmt: skip
        assert made.returncode == 0, made.stderr


def test_labsys_audit_verify_fails_a_chain_rewritten_from_an_edited_event_and_passes_an_untouched_one(
    test_database: TestDatabase, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _three_users(test_database, data)  # three changes, each checkpointed with the lab's (development) key
    untouched = _labsys(test_database, data, "audit", "verify")
    assert untouched.returncode == 0, untouched.stderr
    assert "audit chain intact: 3 events" in untouched.stdout
    assert "3 signed checkpoints hold, the newest of event 3" in untouched.stdout
    exported = _labsys(test_database, data, "audit", "checkpoint", "export", str(tmp_path / "kept-elsewhere.jsonl"))
    assert exported.returncode == 0, exported.stderr
    assert "3 checkpoints copied" in exported.stdout

    engine = test_database.engine()
    with Session(engine) as session:
        _rewrite_from(session, 2)
        assert verify_chain(session) == (3, None)
    engine.dispose()

    for copy in ((), ("--checkpoints", str(tmp_path / "kept-elsewhere.jsonl"))):
        rewritten = _labsys(test_database, data, "audit", "verify", *copy)
        assert rewritten.returncode == 1
        assert "audit chain REWRITTEN: it differs from its signed checkpoints at event 2" in rewritten.stderr
        assert "event 2 does not have the hash its checkpoint signed" in rewritten.stderr


def test_labsys_audit_verify_fails_a_checkpoint_file_whose_line_was_changed(
    test_database: TestDatabase, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _three_users(test_database, data)
    checkpoint_file = data / "audit" / "checkpoints.jsonl"
    lines = checkpoint_file.read_text().splitlines(keepends=True)
    first = Checkpoint.from_line(lines[0])
    lines[0] = lines[0].replace(first.head, "f" * 64)
    checkpoint_file.write_text("".join(lines))

    tampered = _labsys(test_database, data, "audit", "verify")

    assert tampered.returncode == 1
    assert f"checkpoint file {checkpoint_file} does not hold: it was changed" in tampered.stderr
    assert "line 1: the signature of the checkpoint of event 1 does not hold" in tampered.stderr


def test_a_lab_that_cannot_sign_keeps_its_changes_and_says_why_once(
    engine: Engine, checkpoints: CheckpointLog, caplog: pytest.LogCaptureFixture
) -> None:
    def no_key() -> CheckpointKey:
        raise ConfigurationError("the lab cannot sign reports: missing keys/lab-signing.key.pem")

    db = Database(engine)
    Checkpointer(checkpoints, no_key).attach(db)
    with caplog.at_level(logging.ERROR, logger="labsys.audit.checkpointing"):
        _changes(db, 2)

    with db.reading() as session:
        assert verify_chain(session) == (2, None)  # both changes committed
    assert not checkpoints.exists()
    said = "audit event 1 is not checkpointed (later checkpoints cover it): the lab cannot sign reports: missing keys"
    assert [r.getMessage() for r in caplog.records] == [f"{said}/lab-signing.key.pem"]


def test_labsys_audit_checkpoint_write_vouches_for_a_chain_older_than_its_checkpoints(
    test_database: TestDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = test_database.engine()
    upgrade(engine)
    with Session(engine) as session:  # written before the lab checkpointed anything
        make_company(session)
    engine.dispose()
    monkeypatch.setenv("LABSYS_DATABASE_URL", test_database.standalone_url)
    monkeypatch.setenv("LABSYS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        before = runner.invoke(main, ["audit", "verify"])
        written = runner.invoke(main, ["audit", "checkpoint", "write"])
        after = runner.invoke(main, ["audit", "verify"])
    finally:
        get_settings.cache_clear()
    assert "warning: no signed checkpoints" in before.stderr
    assert written.exit_code == 0, written.output
    assert written.stdout == "checkpoint of event 2 written\n"
    assert after.exit_code == 0, after.output
    assert "1 signed checkpoint holds, the newest of event 2" in after.stdout
