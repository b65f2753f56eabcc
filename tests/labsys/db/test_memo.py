"""Facts remembered for one transaction: read once, read again after a change of the session's or a new transaction."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from labsys.db.memo import once_per_transaction
from labsys.equipment.models import Instrument
from tests.factories import Lab

pytestmark = pytest.mark.integration


def _reader(session: Session, reads: list[str]) -> str:
    def read() -> str:
        instrument = session.exec(select(Instrument).where(Instrument.asset_tag == "SMU-01")).one()
        reads.append(instrument.model)
        return instrument.model

    return once_per_transaction(session, "smu", read)


def test_a_fact_is_read_once_in_a_transaction(session: Session, lab: Lab) -> None:
    reads: list[str] = []
    assert _reader(session, reads) == _reader(session, reads) == lab.instruments["SMU-01"].model
    assert len(reads) == 1


def test_a_change_the_session_writes_is_seen_by_the_next_read(session: Session, lab: Lab) -> None:
    reads: list[str] = []
    _reader(session, reads)
    smu = lab.instruments["SMU-01"]
    smu.model = "2460"
    session.add(smu)
    session.flush()
    assert _reader(session, reads) == "2460"
    assert len(reads) == 2


def test_a_new_transaction_reads_afresh(session: Session, lab: Lab) -> None:
    reads: list[str] = []
    _reader(session, reads)
    session.commit()
    _reader(session, reads)
    assert len(reads) == 2


def test_a_rolled_back_savepoint_forgets_what_it_may_have_changed(session: Session, lab: Lab) -> None:
    reads: list[str] = []
    savepoint = session.begin_nested()
    smu = lab.instruments["SMU-01"]
    smu.model = "2460"
    session.add(smu)
    session.flush()
    assert _reader(session, reads) == "2460"
    savepoint.rollback()
    assert _reader(session, reads) == lab.instruments["SMU-01"].model != "2460"
    assert reads == ["2460", lab.instruments["SMU-01"].model]
