"""The public catalog of test methods."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath

from api.state import Methods
from labsys.methods.models import TestMethodPublic

__all__ = ["MethodController"]


class MethodController(Controller):
    """``/api/methods``: anyone may read the catalog."""

    path = "/api/methods"
    tags = ["catalog"]
    opt = {"exclude_from_auth": True}

    @get("/", sync_to_thread=True)
    def list_methods(self, method_service: Methods) -> list[TestMethodPublic]:
        """The methods the lab offers, with parameters, spec limits, decision rule, duration and fee."""
        return method_service.list_methods()

    @get("/{code:str}", sync_to_thread=True)
    def get_method(self, code: FromPath[str], method_service: Methods) -> TestMethodPublic:
        """One method by its code (404 if the lab has none)."""
        return method_service.get_method(code)
