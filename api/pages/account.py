"""A person's own account page: who they are, changing their password, and their secret calendar address.

The calendar address is shown once, when it is made (the lab keeps only its hash); making a new one replaces it,
and revoking it stops it at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template
from pydantic import ValidationError

from api.auth import client_address
from api.pages.customers.forms import field_errors
from api.pages.i18n import gettext as _
from api.pages.passwords import password_problem
from api.pages.rendering import page
from api.pages.viewer import Person
from api.state import Bookings, Credentials, LabSettings
from labsys.bookings.models import CalendarFeedPublic
from labsys.companies.models import PasswordChange
from labsys.errors import InvalidInput, TooManyAttempts

__all__ = ["AccountPage"]

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

_PASSWORD_FIELDS = ("current_password", "new_password", "new_password_again")


class AccountPage(Controller):
    """``/account``: the signed-in person's own account."""

    path = "/account"
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def account(self, person: Person, booking_service: Bookings, changed: FromQuery[bool] = False) -> Template:
        """The account page."""
        return _account_page(person, booking_service, changed=changed)

    @post("/password", sync_to_thread=True)
    def change_password(
        self,
        person: Person,
        data: Form,
        request: Request[Any, Any, Any],
        credential_service: Credentials,
        booking_service: Bookings,
    ) -> Template | Redirect:
        """Change the password, given the current one; back to the account page, which says it is done."""
        errors: dict[str, str] = {}
        try:
            change = PasswordChange(
                current_password=data.get("current_password", ""), new_password=data.get("new_password", "")
            )
        except ValidationError as invalid:
            errors = field_errors(invalid, _PASSWORD_FIELDS)
        if data.get("new_password", "") != data.get("new_password_again", ""):
            errors.setdefault("new_password_again", _("The two passwords differ."))
        status = 422
        if not errors:
            try:
                credential_service.change_password(change, by=person, address=client_address(request))
            except TooManyAttempts:
                errors, status = {"current_password": _("Too many wrong passwords: try again later.")}, 429
            except InvalidInput as refused:
                errors = {refused.field: _password_refusal(refused)}
            else:
                return Redirect("/account?changed=true", status_code=303)
        return _account_page(person, booking_service, errors=errors, status_code=status)

    @post("/calendar-address", sync_to_thread=True)
    def new_calendar_address(self, person: Person, booking_service: Bookings, settings: LabSettings) -> Template:
        """Make a new secret calendar address and show it, this once; the old one stops working."""
        made = booking_service.new_calendar_address(by=person, public_url=settings.public_url)
        shown = _account_page(person, booking_service, new_address=made)
        shown.headers["Cache-Control"] = "no-store"
        return shown

    @post("/calendar-address/revoke", sync_to_thread=True)
    def revoke_calendar_address(self, person: Person, booking_service: Bookings) -> Redirect:
        """Stop the secret calendar address from working; back to the account page."""
        booking_service.revoke_calendar_address(by=person)
        return Redirect("/account", status_code=303)


def _password_refusal(refused: InvalidInput) -> str:
    if refused.field == "current_password":
        return _("The current password is wrong.")
    return password_problem(refused)


def _account_page(
    person: Person,
    booking_service: Bookings,
    *,
    errors: dict[str, str] | None = None,
    new_address: CalendarFeedPublic | None = None,
    changed: bool = False,
    status_code: int = 200,
) -> Template:
    return page(
        "account.html",
        status_code=status_code,
        viewer=person,
        errors=errors or {},
        changed=changed,
        new_address=new_address,
        address_made_at=booking_service.calendar_address_made_at(viewer=person),
    )
