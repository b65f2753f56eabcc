"""The runs (staff) and a run's page (staff, and the customers of the booking's company): status, progress,
verdict and metrics, instruments and parameters, a plot of the data that grows live, and abort (engineer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.auth import requires, requires_staff
from api.pages.engineers.forms import plain, significant
from api.pages.rendering import page
from api.pages.runs.words import verdict_labels
from api.pages.viewer import Person
from api.state import Bookings, Methods, Runs
from labsys.bounds import DB_INT_MAX
from labsys.certificates.conformity import measurement, report_unit
from labsys.companies.accounts import Account
from labsys.companies.models import Role
from labsys.errors import Conflict
from labsys.runs.data import IN_PROGRESS
from labsys.runs.models import RunPublic

__all__ = ["PAGE_SIZE", "ResultRow", "RunPages"]

#: Runs per page of the list.
PAGE_SIZE = 25


@dataclass(frozen=True)
class ResultRow:
    """One metric of an ended run: its value, U and limits scaled to a readable unit (``2.7 nA``), or as stored
    when it lacks an uncertainty."""

    name: str
    value: float
    expanded_uncertainty: float | None
    coverage_factor: float | None
    unit: str  # the symbol, empty for a number without a unit
    lower_limit: float | None
    upper_limit: float | None
    verdict: str | None


def _symbol(unit: str) -> str:
    return "" if unit in {"", "1"} else report_unit(unit)


def _result(name: str, values: dict[str, Any]) -> ResultRow:
    verdict = values.get("verdict")
    try:
        m = measurement(name, values)
    except Conflict:  # no uncertainty recorded: the value as stored
        return ResultRow(
            name=name,
            value=float(values.get("value") or 0.0),
            expanded_uncertainty=None,
            coverage_factor=None,
            unit=_symbol(str(values.get("units") or "")),
            lower_limit=values.get("lower_limit"),
            upper_limit=values.get("upper_limit"),
            verdict=verdict,
        )
    return ResultRow(
        name=name,
        value=m.value,
        expanded_uncertainty=m.expanded_uncertainty,
        coverage_factor=m.coverage_factor,
        unit=_symbol(m.unit),
        lower_limit=m.lower_limit,
        upper_limit=m.upper_limit,
        verdict=verdict,
    )


def outcome_context(run: RunPublic, person: Account) -> dict[str, Any]:
    """What the run's state fragment shows: status, progress, abort, and once ended the verdict and results."""
    in_progress = run.status in IN_PROGRESS
    return {
        "run": run,
        "live": in_progress,
        "can_abort": in_progress and person.role == Role.ENGINEER,
        "results": [_result(name, values) for name, values in run.metrics.items()],
        "verdicts": verdict_labels(),
        "significant": significant,
    }


class RunPages(Controller):
    """``/runs``, ``/runs/{id}``, its state fragment, and abort."""

    include_in_schema = False

    @get("/runs", guards=[requires_staff], sync_to_thread=True)
    def runs(self, person: Person, run_service: Runs, page_number: FromQuery[int] = 1) -> Template:
        """Every run, newest first, a page at a time."""
        number = min(max(page_number, 1), DB_INT_MAX)  # past the last page is an empty page, never an error
        found = run_service.runs_page(viewer=person, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        pages = max((found.count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        return page(
            "runs/list.html", viewer=person, runs=found.data, number=number, pages=pages, verdicts=verdict_labels()
        )

    @get("/runs/{run_id:int}", sync_to_thread=True)
    def run(
        self,
        run_id: FromPath[int],
        person: Person,
        run_service: Runs,
        booking_service: Bookings,
        method_service: Methods,
    ) -> Template:
        """The run: followed live while it is queued or running (another company's run answers 404)."""
        run = run_service.get(run_id, viewer=person)
        booking = booking_service.get(run.booking_id, viewer=person)
        return page(
            "runs/run.html",
            viewer=person,
            booking=booking,
            sample=next((s for s in booking.samples if s.id == run.sample_id), None),
            method=method_service.get_method(run.method_code),
            plain=plain,
            **outcome_context(run, person),
        )

    @get("/runs/{run_id:int}/outcome", sync_to_thread=True)
    def outcome(self, run_id: FromPath[int], person: Person, run_service: Runs) -> Template:
        """The run's state alone (the fragment the run page swaps in when the run ends)."""
        run = run_service.get(run_id, viewer=person)
        return page("runs/_outcome.html", viewer=person, **outcome_context(run, person))

    @post("/runs/{run_id:int}/abort", guards=[requires(Role.ENGINEER)], sync_to_thread=True)
    def abort(self, run_id: FromPath[int], person: Person, run_service: Runs) -> Redirect:
        """Ask the run to stop (the same call as ``POST /api/runs/{id}/abort``); back to its page."""
        run_service.abort(run_id, by=person)
        return Redirect(f"/runs/{run_id}", status_code=HTTP_303_SEE_OTHER)
