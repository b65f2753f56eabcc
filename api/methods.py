"""The public catalog of test methods."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath

from api.state import DB
from labsys.methods import service
from labsys.methods.schemas import TestMethodPublic

__all__ = ["MethodController"]


class MethodController(Controller):
    """``/api/methods``: anyone may read the catalog."""

    path = "/api/methods"
    tags = ["catalog"]
    opt = {"exclude_from_auth": True}

    @get("/", sync_to_thread=True)
    def list_methods(self, db: DB) -> list[TestMethodPublic]:
        """The methods the lab offers, with parameters, spec limits, decision rule, duration and fee."""
        return [TestMethodPublic.model_validate(m, from_attributes=True) for m in service.list_methods(session=db)]

    @get("/{code:str}", sync_to_thread=True)
    def get_method(self, code: FromPath[str], db: DB) -> TestMethodPublic:
        """One method by its code (404 if the lab has none)."""
        return TestMethodPublic.model_validate(service.get_method(session=db, code=code), from_attributes=True)
