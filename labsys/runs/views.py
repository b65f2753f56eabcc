"""Runs as the API shows them."""

from __future__ import annotations

from sqlmodel import Session

from labsys.methods.models import TestMethod
from labsys.runs.models import Run
from labsys.runs.schemas import RunPublic
from labsys.runs.service import run_instruments

__all__ = ["describe_run"]


def describe_run(session: Session, run: Run) -> RunPublic:
    """A run with its method code and the asset tags of its instruments."""
    method = session.get(TestMethod, run.method_id)
    return RunPublic.model_validate(
        {
            **run.model_dump(),
            "method_code": method.code if method else "",
            "instruments": [i.asset_tag for i in run_instruments(session, run.id or 0)],
        }
    )
