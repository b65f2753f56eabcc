"""Reading and extending the catalog of test methods."""

from __future__ import annotations

from sqlmodel import Session, col, select

from labsys.audit import Actor, record
from labsys.errors import Conflict, NotFound
from labsys.methods.models import TestMethod
from labsys.methods.schemas import TestMethodCreate

__all__ = ["add_method", "get_method", "list_methods"]


def list_methods(*, session: Session, include_inactive: bool = False) -> list[TestMethod]:
    """The methods the lab offers, by code."""
    query = select(TestMethod).order_by(col(TestMethod.code))
    if not include_inactive:
        query = query.where(col(TestMethod.active))
    return list(session.exec(query).all())


def get_method(*, session: Session, code: str) -> TestMethod:
    """The method with this code.

    Raises:
        NotFound: no method has it.
    """
    method = session.exec(select(TestMethod).where(TestMethod.code == code)).first()
    if method is None:
        raise NotFound(f"no test method with code {code!r}")
    return method


def add_method(*, session: Session, method_in: TestMethodCreate, actor: Actor) -> TestMethod:
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
        after=method_in.model_dump(mode="json"),
    )
    return method
