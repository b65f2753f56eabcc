"""Reading and extending the catalog of test methods."""

from __future__ import annotations

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.db import Database
from labsys.errors import Conflict, NotFound
from labsys.methods.models import TestMethod, TestMethodCreate, TestMethodPublic, method_snapshot

__all__ = ["MethodService", "add_method", "method_by_code"]


def method_by_code(session: Session, code: str, *, active_only: bool = False) -> TestMethod:
    """The method with this code (an active one, if ``active_only``).

    Raises:
        NotFound: no method has it.
    """
    query = select(TestMethod).where(TestMethod.code == code)
    if active_only:
        query = query.where(col(TestMethod.active))
    method = session.exec(query).first()
    if method is None:
        raise NotFound(f"no test method with code {code!r}")
    return method


def add_method(session: Session, method_in: TestMethodCreate, actor: Actor) -> TestMethod:
    """Add a method to the catalog.

    Raises:
        Conflict: the code is taken.
    """
    if session.exec(select(TestMethod).where(TestMethod.code == method_in.code)).first():
        raise Conflict(f"a test method with code {method_in.code!r} already exists", field="code")
    method = TestMethod.model_validate(method_in.model_dump())
    session.add(method)
    session.flush()
    record(
        session,
        actor=actor,
        action="method.added",
        entity_type="test_method",
        entity_id=method.code,
        after=method_snapshot(method),
    )
    return method


class MethodService:
    """The catalog, one transaction per call."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list_methods(self) -> list[TestMethodPublic]:
        """The methods the lab offers, by code."""
        query = select(TestMethod).where(col(TestMethod.active)).order_by(col(TestMethod.code))
        with self._db.reading() as session:
            return [TestMethodPublic.model_validate(m) for m in session.exec(query).all()]

    def get_method(self, code: str) -> TestMethodPublic:
        """One method by its code.

        Raises:
            NotFound: the lab has none.
        """
        with self._db.reading() as session:
            return TestMethodPublic.model_validate(method_by_code(session, code))

    def add_method(self, method_in: TestMethodCreate, *, by: Actor) -> TestMethodPublic:
        """Add a method to the catalog.

        Raises:
            Conflict: the code is taken.
        """
        with self._db.writing() as session:
            return TestMethodPublic.model_validate(add_method(session, method_in, by))
