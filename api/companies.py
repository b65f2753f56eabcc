"""Registering companies and reading them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.security.jwt import Token
from sqlmodel import SQLModel

from api.auth import requires_staff
from api.state import Accounts
from api.statuses import ERRORS_OPT
from labsys.companies.accounts import Account
from labsys.companies.models import CompanyPublic, CompanyRegistration, UserPublic

__all__ = ["CompanyController", "RegistrationPublic"]


class RegistrationPublic(SQLModel):
    """The registered company and its first user."""

    company: CompanyPublic
    user: UserPublic


class CompanyController(Controller):
    """``/api/companies``: anyone registers; a customer reads its own company, staff every company."""

    path = "/api/companies"
    tags = ["companies"]

    @post(
        "/",
        opt={"exclude_from_auth": True, ERRORS_OPT: {409: "a company with this registration number is registered"}},
        sync_to_thread=True,
    )
    def register(self, data: JSONBody[CompanyRegistration], account_service: Accounts) -> RegistrationPublic:
        """Register a company and its first customer user (422 on a bad registration number, 409 on a taken one)."""
        company, user = account_service.register_company(data)
        return RegistrationPublic(company=company, user=user)

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
