"""The pages anyone may see: the start page, the test catalog, and the choice of language."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.pages.i18n import LANGUAGE_COOKIE, LANGUAGES
from api.pages.rendering import page
from api.pages.signing_in import home_of, safe_next
from api.pages.viewer import Viewer
from api.state import Methods

__all__ = ["PublicPages"]

#: A year: a person's choice of language lasts.
_ONE_YEAR_S = 365 * 24 * 3600


class PublicPages(Controller):
    """``/``, ``/methods`` and ``/language``."""

    opt = {"exclude_from_auth": True}
    include_in_schema = False

    @get("/")
    async def home(self, viewer: Viewer) -> Template:
        """The start page: book a test, verify a report, or go on with one's work."""
        return page("home.html", viewer=viewer, home=home_of(viewer) if viewer else "/")

    @get("/methods", sync_to_thread=True)
    def catalog(self, viewer: Viewer, method_service: Methods) -> Template:
        """The test catalog: each method's fee, turnaround, duration and what it measures."""
        return page("methods.html", viewer=viewer, methods=method_service.list_methods())

    @get("/methods/{code:str}", sync_to_thread=True)
    def method(self, code: FromPath[str], viewer: Viewer, method_service: Methods) -> Template:
        """One method in full: its parameters, limits, decision rule and uncertainty."""
        return page("method.html", viewer=viewer, method=method_service.get_method(code))

    @get("/language/{code:str}")
    async def language(self, code: FromPath[str], next: FromQuery[str | None] = None) -> Redirect:  # noqa: A002 - query name
        """Choose the pages' language, and go back to the page it was chosen on."""
        response = Redirect(safe_next(next) or "/")
        if code in LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, code, max_age=_ONE_YEAR_S, samesite="lax", httponly=True)
        return response
