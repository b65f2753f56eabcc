"""Registering companies and reading them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.security.jwt import Token
from litestar.status_codes import HTTP_202_ACCEPTED

from api.auth import requires, requires_staff
from api.state import Accounts
from labsys.companies.accounts import Account
from labsys.companies.models import CompanyCorrection, CompanyPublic, CompanyRegistration, RegistrationReceived, Role

__all__ = ["CompanyController"]


class CompanyController(Controller):
    """``/api/companies``: anyone registers; a customer reads its own company, staff every company."""

    path = "/api/companies"
    tags = ["companies"]

    @post("/", opt={"exclude_from_auth": True}, status_code=HTTP_202_ACCEPTED, sync_to_thread=True)
    def register(self, data: JSONBody[CompanyRegistration], account_service: Accounts) -> RegistrationReceived:
        """Register a company and its first customer user, who then signs in with ``contact_email`` and
        ``password`` (``POST /api/auth/token``).

        202 with the same answer whether or not the email or the registration number was registered already (so it
        tells nobody who has an account; nothing changes then). 422 on a bad registration number or a password that
        is easy to guess.
        """
        return account_service.register_company(data)

    @get("/", guards=[requires_staff], sync_to_thread=True)
    def list_companies(self, account_service: Accounts) -> list[CompanyPublic]:
        """Every registered company (staff)."""
        return account_service.list_companies()

    @get("/{company_id:int}", sync_to_thread=True)
    def get_company(
        self, company_id: FromPath[int], account_service: Accounts, request: Request[Account, Token, Any]
    ) -> CompanyPublic:
        """One company: a customer's own, or any for staff (another company's answers 404)."""
        return account_service.get_company(company_id, viewer=request.user)

    @patch("/{company_id:int}", guards=[requires(Role.ADMIN)], sync_to_thread=True)
    def correct(
        self,
        company_id: FromPath[int],
        data: JSONBody[CompanyCorrection],
        account_service: Accounts,
        request: Request[Account, Token, Any],
    ) -> CompanyPublic:
        """Correct a company's record (admin), with the reason; the audit trail keeps the old and new values.
        Bookings naming the company read the corrected record, so an amended certificate prints it."""
        return account_service.correct_company(company_id, data, by=request.user.actor)
