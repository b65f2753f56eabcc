"""Runs as the API shows them."""

from __future__ import annotations

from sqlmodel import Session

from labsys.methods.models import TestMethod
from labsys.runs.models import Run, RunPublic
from labsys.runs.queries import run_instruments

__all__ = ["run_public"]


def run_public(session: Session, run: Run) -> RunPublic:
    """A run with its method's code and the asset tags of its instruments."""
    method = session.get(TestMethod, run.method_id)
    instruments = [i.asset_tag for i in run_instruments(session, run.id or 0)]
    return RunPublic.model_validate(
        run, update={"method_code": method.code if method else "", "instruments": instruments}
    )
