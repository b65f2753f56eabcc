"""Starting a run (engineer): the received sample, and the method's parameters with their defaults, units and
limits; checked and queued by the same service call as ``POST /api/runs``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.auth import requires
from api.pages.engineers.forms import number, plain
from api.pages.engineers.words import refusal
from api.pages.i18n import gettext as _
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Bookings, Methods, Runs
from labsys.bookings.models import BookingPublic
from labsys.bookings.progress import READY_FOR_TESTING
from labsys.certificates.conformity import report_unit
from labsys.companies.models import Role
from labsys.errors import Conflict, InvalidInput, NotFound, RuleViolation
from labsys.methods.models import TestMethodPublic
from labsys.methods.parts import MethodParameter
from labsys.runs.models import EarlyRun, RunCreate

__all__ = ["RunStarting"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

#: The form field of the sample, and the prefix of each parameter's field.
SAMPLE_FIELD = "sample"
PARAMETER_FIELD = "parameter-"
#: The override to run before the booking's slot begins (a checkbox), and its reason.
EARLY_FIELD = "early"
EARLY_REASON_FIELD = "early_reason"


@dataclass(frozen=True)
class ParameterField:
    """One parameter of the method as the form shows it: its limits, and what the person typed."""

    spec: MethodParameter
    value: str
    error: str | None

    @property
    def field(self) -> str:
        """The form field's name."""
        return f"{PARAMETER_FIELD}{self.spec.name}"

    @property
    def step(self) -> str:
        """``1`` for a count (no unit, whole-number default and limits), else any value."""
        spec = self.spec
        whole = all(float(v).is_integer() for v in (spec.default, spec.minimum, spec.maximum))
        return "1" if whole and not spec.unit else "any"


@dataclass
class RunForm:
    """What was typed, and what is wrong with it (field → sentence; a refusal of the whole form apart)."""

    sample: str = ""
    early: bool = False
    early_reason: str = ""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: tuple[str, str] | None = None


def _render(
    person: Person, booking: BookingPublic, method: TestMethodPublic, form: RunForm, status_code: int = 200
) -> Template:
    fields = [
        ParameterField(p, form.values.get(p.name) or plain(p.default), form.errors.get(p.name))
        for p in method.parameters
    ]
    received = [s for s in booking.samples if s.received_at is not None]
    held = [r for r in booking.reservations if r.active]
    slot_begins = min((r.starts_at for r in held), default=None)
    return page(
        "engineers/start_run.html",
        status_code=status_code,
        viewer=person,
        booking=booking,
        method=method,
        ready=booking.status in READY_FOR_TESTING and len(received) == len(booking.samples),
        samples=received,
        chosen_sample=form.sample or (str(received[0].id) if len(received) == 1 else ""),
        sample_error=form.errors.get(SAMPLE_FIELD),
        instruments=held,
        slot_ahead=slot_begins if slot_begins is not None and slot_begins > datetime.now(UTC) else None,
        early=form.early,
        early_reason=form.early_reason,
        early_error=form.errors.get(EARLY_REASON_FIELD),
        fields=fields,
        problem=form.problem,
        plain=plain,
    )


def _read(data: dict[str, str], method: TestMethodPublic) -> tuple[RunForm, int | None, dict[str, float]]:
    """The sample and parameter values typed, and the fields that hold no number."""
    form = RunForm(sample=data.get(SAMPLE_FIELD, "").strip())
    sample = int(form.sample) if form.sample.isdigit() else None
    if sample is None:
        form.errors[SAMPLE_FIELD] = _("Choose the sample to test.")
    form.early = data.get(EARLY_FIELD) == "on"
    form.early_reason = data.get(EARLY_REASON_FIELD, "").strip()
    if form.early and not form.early_reason:
        form.errors[EARLY_REASON_FIELD] = _("Say why the run cannot wait for the booking's slot.")
    parameters: dict[str, float] = {}
    for spec in method.parameters:
        text = data.get(f"{PARAMETER_FIELD}{spec.name}", "").strip()
        form.values[spec.name] = text
        if not text:
            continue  # the method's default
        value = number(text)
        if value is None:
            form.errors[spec.name] = _("Write a number.")
        else:
            parameters[spec.name] = value
    return form, sample, parameters


def _out_of_range(spec: MethodParameter) -> str:
    limits = {"minimum": plain(spec.minimum), "maximum": plain(spec.maximum)}
    if spec.unit:
        return _(
            "Outside the method's range: %(minimum)s to %(maximum)s %(unit)s.", unit=report_unit(spec.unit), **limits
        )
    return _("Outside the method's range: %(minimum)s to %(maximum)s.", **limits)


def _refused(exc: InvalidInput | Conflict, method: TestMethodPublic, form: RunForm) -> int:
    """Put the service's refusal in the form: next to the parameter it names, or above the form."""
    if isinstance(exc, InvalidInput):
        name = exc.field.removeprefix("parameters.")
        spec = next((p for p in method.parameters if p.name == name), None)
        if spec is not None:
            form.errors[name] = _out_of_range(spec)
        else:
            form.problem = (_("The run cannot start with these values."), exc.detail)
        return HTTP_422_UNPROCESSABLE_ENTITY
    if isinstance(exc, RuleViolation):
        form.problem = (refusal(exc.rule), exc.detail)
    else:
        form.problem = (_("The run cannot start now."), exc.detail)
    return HTTP_409_CONFLICT


class RunStarting(Controller):
    """``/bookings/{id}/runs/new``."""

    include_in_schema = False
    guards = [requires(Role.ENGINEER)]

    @get("/bookings/{booking_id:int}/runs/new", sync_to_thread=True)
    def form(
        self, booking_id: FromPath[int], person: Person, booking_service: Bookings, method_service: Methods
    ) -> Template:
        """The form: the booking's received samples, its instruments, and the method's parameters at their
        defaults."""
        booking = booking_service.get(booking_id, viewer=person)
        return _render(person, booking, method_service.get_method(booking.method), RunForm())

    @post("/bookings/{booking_id:int}/runs/new", sync_to_thread=True)
    def start(
        self,
        *,
        booking_id: FromPath[int],
        person: Person,
        booking_service: Bookings,
        method_service: Methods,
        run_service: Runs,
        data: Form,
    ) -> Redirect | Template:
        """Queue the run; on to its page, where it is followed live. A value out of range is refused next to its
        field, and nothing is queued; so is a run before the booking's slot begins unless the engineer ticks the
        override and says why."""
        booking = booking_service.get(booking_id, viewer=person)
        method = method_service.get_method(booking.method)
        form, sample, parameters = _read(data, method)
        if form.errors or sample is None:
            return _render(person, booking, method, form, HTTP_422_UNPROCESSABLE_ENTITY)
        try:
            early = EarlyRun(reason=form.early_reason) if form.early else None
            run_in = RunCreate(booking=booking_id, sample=sample, parameters=parameters, early=early)
            run = run_service.queue(run_in, by=person)
        except NotFound:
            form.errors[SAMPLE_FIELD] = _("Choose a sample of this booking.")
            return _render(person, booking, method, form, HTTP_422_UNPROCESSABLE_ENTITY)
        except (InvalidInput, Conflict) as exc:
            return _render(person, booking, method, form, _refused(exc, method, form))
        return Redirect(f"/runs/{run.id}", status_code=HTTP_303_SEE_OTHER)
