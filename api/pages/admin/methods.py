"""The admin's test methods: the catalog as the lab keeps it, each method's parameters and limits, and adding one.

A method's simple fields are form fields; its parameters, spec limits and uncertainty figures are JSON lists,
checked by the same model as every other way into the catalog.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.pages.admin.forms import FieldErrors, field_of, typed, validation_errors
from api.pages.admin.words import DECISION_RULES, admin_page
from api.pages.i18n import gettext
from api.pages.i18n import gettext as _
from api.pages.viewer import Person
from api.state import Equipment, Methods
from labsys.companies.models import Role
from labsys.errors import Conflict
from labsys.methods.models import DecisionRule, TestMethodCreate

__all__ = ["MethodPages"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

#: The method's parts written as JSON lists.
PARTS = ("parameters", "spec_limits", "uncertainty")
_SIMPLE_FIELDS = (
    "code",
    "title",
    "standard",
    "procedure",
    "instrument_kinds",
    "decision_rule",
    "duration_min",
    "turnaround_days",
    "fee_krw",
)
_EMPTY_PARTS = dict.fromkeys(PARTS, "[]")
_SEPARATORS = re.compile(r"[,\s]+")


def _parts(values: dict[str, str]) -> tuple[dict[str, list[Any]], FieldErrors]:
    """The form's JSON lists that read as lists; and what is wrong with the others."""
    read: dict[str, list[Any]] = {}
    errors: FieldErrors = {}
    for part in PARTS:
        try:
            written = json.loads(values.get(part, "[]"))
        except json.JSONDecodeError as exc:
            errors[part] = _("This is not JSON (line %(line)s, column %(column)s).", line=exc.lineno, column=exc.colno)
            continue
        if isinstance(written, list):
            read[part] = written
        else:
            errors[part] = _("Write a list: [ … ].")
    return read, errors


def _method_in(values: dict[str, str]) -> tuple[TestMethodCreate | None, FieldErrors]:
    """The method the form describes, or what is wrong with the form, field by field."""
    parts, errors = _parts(values)
    fields: dict[str, Any] = {name: values[name] for name in _SIMPLE_FIELDS if name in values}
    fields["instrument_kinds"] = [k for k in _SEPARATORS.split(values.get("instrument_kinds", "")) if k]
    try:
        method_in = TestMethodCreate.model_validate({**fields, **parts})
    except ValidationError as exc:
        return None, {**validation_errors(exc, whole="code"), **errors}
    return (None, errors) if errors else (method_in, {})


class MethodPages(Controller):
    """``/admin/methods``: the catalog, for the admin."""

    path = "/admin/methods"
    guards = [requires(Role.ADMIN)]
    include_in_schema = False

    @staticmethod
    def _form(
        person: Person,
        method_service: Methods,
        equipment: Equipment,
        *,
        values: dict[str, str] | None = None,
        errors: FieldErrors | None = None,
    ) -> Template:
        catalog = method_service.list_methods()
        return admin_page(
            "admin/method_form.html",
            status_code=422 if errors else 200,
            viewer=person,
            rules=[(rule.value, gettext(DECISION_RULES[rule])) for rule in DecisionRule],
            procedures=sorted({m.procedure for m in catalog}),
            kinds=sorted({i.kind for i in equipment.list_instruments().data}),
            values=values
            or {"turnaround_days": "7", "decision_rule": DecisionRule.SIMPLE, **dict.fromkeys(PARTS, "[]")},
            errors=errors or {},
        )

    @get("/", sync_to_thread=True)
    def methods(self, person: Person, method_service: Methods) -> Template:
        """The methods of the catalog: code, title, version, fee, turnaround, whether offered."""
        return admin_page("admin/methods.html", viewer=person, methods=method_service.list_methods())

    @get("/new", sync_to_thread=True)
    def new_method(self, person: Person, method_service: Methods, equipment_service: Equipment) -> Template:
        """The form for a new method."""
        return self._form(person, method_service, equipment_service)

    @post("/", sync_to_thread=True)
    def add_method(
        self, person: Person, method_service: Methods, equipment_service: Equipment, data: Form
    ) -> Redirect | Template:
        """Add a method to the catalog, as ``labsys.methods`` does for every caller; on to its page."""
        values = typed(data, (*_SIMPLE_FIELDS, *PARTS))
        method_in, errors = _method_in(values)
        if method_in is not None:
            try:
                added = method_service.add_method(method_in, by=person.actor)
            except Conflict as exc:
                errors = {field_of(exc, "code"): _("A test method with this code already exists.")}
            else:
                return Redirect(f"/admin/methods/{added.code}", status_code=303)
        return self._form(person, method_service, equipment_service, values=values, errors=errors)

    @get("/{code:str}", sync_to_thread=True)
    def method(self, code: FromPath[str], person: Person, method_service: Methods) -> Template:
        """One method in full: procedure, instruments, decision rule, parameters, spec limits and uncertainty."""
        return admin_page("admin/method.html", viewer=person, method=method_service.get_method(code))
