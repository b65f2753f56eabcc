"""The admin's users: everyone who signs in, adding a user, what each engineer or reviewer is qualified for, and
lifting a sign-in lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import requires
from api.pages.admin.engineer_time import WEEKDAYS
from api.pages.admin.forms import FieldErrors, field_of, typed, validation_errors
from api.pages.admin.words import admin_page, role_name
from api.pages.i18n import gettext as _
from api.pages.passwords import password_problem
from api.pages.viewer import Person
from api.state import Accounts, Credentials, EngineerTime, Equipment, Methods
from labsys.companies.models import QualificationsUpdate, Role, UserCreate, UserPublic
from labsys.errors import Conflict, InvalidInput, NotFound

__all__ = ["Qualification", "UserPages"]

_USER_FIELDS = ("name", "email", "role", "company_id", "password")

#: A form posted URL-encoded; a field sent more than once (checkboxes) arrives as a list.
Form = Annotated[dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)]


@dataclass(frozen=True)
class Qualification:
    """One thing a user may be qualified for: its value, its name and what it is used for."""

    value: str
    label: str
    note: str = ""


def _new_user_problem(error: InvalidInput | Conflict | NotFound, role: str | None) -> FieldErrors:
    """The service's refusal of a new user, next to the field it concerns."""
    if isinstance(error, Conflict):  # the only one the service raises: the email is taken
        return {field_of(error, "email"): _("A user with this email already exists.")}
    if isinstance(error, NotFound):
        return {"company_id": _("There is no such company.")}
    field = field_of(error, "company_id")
    if field == "password" and isinstance(error, InvalidInput):
        return {field: password_problem(error)}
    if field == "company_id":
        if role == Role.CUSTOMER:
            return {field: _("A customer belongs to a company: choose it.")}
        return {field: _("Lab staff belong to no company: choose “None (lab staff)”.")}
    return {field: error.detail}


def _qualification_choices(user: UserPublic, methods: Methods, equipment: Equipment) -> list[Qualification]:
    """What ``user`` may be qualified for: instrument kinds for an engineer, method codes for a reviewer; and
    whatever they already hold, so saving the form never drops it unseen."""
    catalog = methods.list_methods()
    if user.role == Role.ENGINEER:
        kinds = {i.kind for i in equipment.list_instruments().data} | {k for m in catalog for k in m.instrument_kinds}
        used_by = {kind: [m.code for m in catalog if kind in m.instrument_kinds] for kind in kinds}
        choices = [
            Qualification(
                kind, kind, _("Used by %(methods)s", methods=", ".join(used_by[kind])) if used_by[kind] else ""
            )
            for kind in sorted(kinds)
        ]
    elif user.role == Role.REVIEWER:
        choices = [Qualification(m.code, m.code, m.title) for m in catalog]
    else:
        return []
    offered = {c.value for c in choices}
    return choices + [Qualification(held, held) for held in user.qualifications if held not in offered]


class UserPages(Controller):
    """``/admin/users``: the admin's management of users and qualifications."""

    path = "/admin/users"
    guards = [requires(Role.ADMIN)]
    include_in_schema = False

    @staticmethod
    def _users(
        person: Person,
        account_service: Accounts,
        *,
        values: dict[str, str] | None = None,
        errors: FieldErrors | None = None,
    ) -> Template:
        companies = account_service.list_companies()
        return admin_page(
            "admin/users.html",
            status_code=422 if errors else 200,
            viewer=person,
            users=account_service.list_users().data,
            company_names={c.id: c.name for c in companies},
            roles=[(role.value, role_name(role)) for role in Role],
            companies=[("", _("None (lab staff)"))]
            + [(c.id, f"{c.name} ({c.business_registration_number})") for c in companies],
            values=values or {"role": Role.ENGINEER},
            errors=errors or {},
        )

    @get("/", sync_to_thread=True)
    def users(self, person: Person, account_service: Accounts) -> Template:
        """Every user with role, company, whether active, and qualifications; and the form to add one."""
        return self._users(person, account_service)

    @post("/", sync_to_thread=True)
    def add_user(self, person: Person, account_service: Accounts, data: Form) -> Redirect | Template:
        """Add a user, as ``POST /api/users`` does; on to their page (where their qualifications are set)."""
        values = typed(data, _USER_FIELDS, verbatim=("password",))
        try:
            created = account_service.create_user(UserCreate.model_validate(values), by=person.actor)
        except ValidationError as exc:
            refusals = {"email": _("Enter an email address such as name@example.com.")}
            errors = validation_errors(exc, whole="email", refusals=refusals)
        except (InvalidInput, Conflict, NotFound) as exc:
            errors = _new_user_problem(exc, values.get("role"))
        else:
            return Redirect(f"/admin/users/{created.id}", status_code=303)
        values.pop("password", None)  # never sent back into a page
        return self._users(person, account_service, values=values, errors=errors)

    @get("/{user_id:int}", sync_to_thread=True)
    def user(  # noqa: PLR0917 - the services a page handler receives by name
        self,
        user_id: FromPath[int],
        person: Person,
        account_service: Accounts,
        method_service: Methods,
        equipment_service: Equipment,
        engineer_time_service: EngineerTime,
    ) -> Template:
        """One user, what they are qualified for (engineers and reviewers), and an engineer's shifts and leave."""
        shown = account_service.get_user(user_id)
        company = account_service.get_company(shown.company_id, viewer=person) if shown.company_id else None
        engineer = shown.role == Role.ENGINEER
        return admin_page(
            "admin/user.html",
            viewer=person,
            user=shown,
            company=company,
            choices=_qualification_choices(shown, method_service, equipment_service),
            saved=False,
            shifts={s.weekday: s for s in engineer_time_service.shifts(user_id).data} if engineer else {},
            leave=engineer_time_service.leave(user_id).data if engineer else [],
            weekdays=WEEKDAYS,
        )

    @post("/{user_id:int}/qualifications", sync_to_thread=True)
    def set_qualifications(  # noqa: PLR0917 - the services a page handler receives by name
        self,
        user_id: FromPath[int],
        request: Request[Any, Any, Any],
        person: Person,
        account_service: Accounts,
        method_service: Methods,
        equipment_service: Equipment,
        data: Form,
    ) -> Redirect | Template:
        """Set what a user is qualified for, as ``PUT /api/users/{id}/qualifications`` does.

        From htmx, the section is answered in place; otherwise back to the user's page.
        """
        ticked = data.get("qualifications", [])
        try:
            chosen = QualificationsUpdate(qualifications=[ticked] if isinstance(ticked, str) else ticked)
        except ValidationError as exc:  # only a hand-made request: the form offers checkboxes
            raise InvalidInput("qualifications", "each qualification is 1 to 40 characters") from exc
        saved = account_service.set_qualifications(user_id, chosen.qualifications, by=person.actor)
        if request.headers.get("hx-request") != "true":
            return Redirect(f"/admin/users/{user_id}", status_code=303)
        return admin_page(
            "admin/_qualifications.html",
            viewer=person,
            user=saved,
            choices=_qualification_choices(saved, method_service, equipment_service),
            saved=True,
        )

    @post("/{user_id:int}/unlock", sync_to_thread=True)
    def unlock(self, user_id: FromPath[int], person: Person, credential_service: Credentials) -> Redirect:
        """Lift the user's sign-in lock, as ``POST /api/users/{id}/unlock`` does; back to their page."""
        credential_service.unlock(user_id, by=person.actor)
        return Redirect(f"/admin/users/{user_id}", status_code=303)
