"""Registering a company and its first customer user, who then signs in.

The 사업자등록번호 is checked as it is typed (``/register/brn`` answers a fragment saying whether it is valid, and
why not); the registration itself goes through the same service as ``POST /api/companies``, and like it answers
the same whether or not the email or the company was registered already: on to the sign-in form, which says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.pages.customers.forms import brn_problem, field_errors
from api.pages.i18n import gettext as _
from api.pages.passwords import password_problem
from api.pages.rendering import page
from api.pages.signing_in import home_of
from api.pages.viewer import Viewer
from api.state import Accounts
from labsys.companies.brn import InvalidBrn, format_brn, normalize_brn
from labsys.companies.models import CompanyRegistration
from labsys.errors import InvalidInput

__all__ = ["BrnCheck", "Registration", "brn_check"]

#: The form's fields, in the order a person fills them in (the password is never sent back to the page).
FIELDS = ("name", "business_registration_number", "address", "contact_name", "contact_email", "contact_phone")
PASSWORDS = ("password", "password_again")

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


@dataclass(frozen=True)
class BrnCheck:
    """What the form says about a 사업자등록번호 as typed: ``state`` is ``empty`` (nothing typed yet), ``valid``
    or ``invalid``; ``message`` says so (the number dashed, or the reason it is not one)."""

    state: str
    message: str


def brn_check(typed: str) -> BrnCheck:
    """Judge a typed 사업자등록번호 with the rule the registration applies."""
    if not typed.strip():
        return BrnCheck("empty", "")
    try:
        digits = normalize_brn(typed.strip())
    except InvalidBrn as error:
        return BrnCheck("invalid", brn_problem(error))
    return BrnCheck("valid", _("%(number)s is a valid business registration number.", number=format_brn(digits)))


class Registration(Controller):
    """``/register`` and ``/register/brn``."""

    opt = {"exclude_from_auth": True}
    include_in_schema = False

    @get("/register")
    async def form(self, viewer: Viewer) -> Template | Redirect:
        """The registration form (someone signed in already goes to their start page)."""
        if viewer is not None:
            return Redirect(home_of(viewer))
        return _form_page(dict.fromkeys(FIELDS, ""), {})

    @get("/register/brn")
    async def check_brn(self, business_registration_number: FromQuery[str] = "") -> Template:
        """A fragment saying whether the number typed so far is a valid 사업자등록번호, and why not."""
        return page("customers/_brn_check.html", brn=brn_check(business_registration_number))

    @post("/register", sync_to_thread=True)
    def register(self, data: Form, account_service: Accounts) -> Template | Redirect:
        """Register the company and its first user; on to the sign-in form, which says what became of it."""
        values = {name: data.get(name, "").strip() for name in FIELDS}
        password = data.get("password", "")
        errors: dict[str, str] = {}
        try:
            registration = CompanyRegistration.model_validate({**values, "password": password})
        except ValidationError as invalid:
            errors = field_errors(invalid, (*FIELDS, *PASSWORDS))
        if password != data.get("password_again", ""):
            errors.setdefault("password_again", _("The two passwords differ."))
        if not errors:
            try:
                account_service.register_company(registration)
            except InvalidInput as weak:  # the only refusal the service words: a password easy to guess
                errors = {"password": password_problem(weak)}
        if errors:
            return _form_page(values, errors, status_code=422)
        return Redirect("/sign-in?registered=true", status_code=303)


def _form_page(values: dict[str, str], errors: dict[str, str], status_code: int = 200) -> Template:
    brn = brn_check(values["business_registration_number"])
    if "business_registration_number" in errors:
        brn = BrnCheck("invalid", errors["business_registration_number"])
    return page("customers/register.html", status_code=status_code, viewer=None, values=values, errors=errors, brn=brn)
