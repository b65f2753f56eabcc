"""Registering companies and reading them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody
from sqlmodel import SQLModel

from api.auth import Principal, requires_staff
from api.state import DB
from labsys.companies import service
from labsys.companies.schemas import CompanyPublic, CompanyRegistration, UserPublic
from labsys.errors import NotFound

__all__ = ["CompanyController", "RegistrationPublic"]


class RegistrationPublic(SQLModel):
    """The registered company and its first user."""

    company: CompanyPublic
    user: UserPublic


class CompanyController(Controller):
    """``/api/companies``: anyone registers; a customer reads its own company, staff every company."""

    path = "/api/companies"
    tags = ["companies"]

    @post("/", opt={"exclude_from_auth": True}, sync_to_thread=True)
    def register(self, data: JSONBody[CompanyRegistration], db: DB) -> RegistrationPublic:
        """Register a company and its first customer user (422 on a bad registration number, 409 on a taken one)."""
        company, user = service.register_company(session=db, registration=data)
        return RegistrationPublic(
            company=CompanyPublic.model_validate(company, from_attributes=True),
            user=UserPublic.model_validate(user, from_attributes=True),
        )

    @get("/", guards=[requires_staff], sync_to_thread=True)
    def list_companies(self, db: DB) -> list[CompanyPublic]:
        """Every registered company (staff)."""
        return [CompanyPublic.model_validate(c, from_attributes=True) for c in service.list_companies(session=db)]

    @get("/{company_id:int}", sync_to_thread=True)
    def get_company(self, company_id: FromPath[int], db: DB, request: Request[Principal, Any, Any]) -> CompanyPublic:
        """One company: a customer's own, or any for staff (another company's answers 404)."""
        principal = request.user
        if not principal.is_staff and principal.company_id != company_id:
            raise NotFound(f"company {company_id} not found")
        company = service.get_company(session=db, company_id=company_id)
        return CompanyPublic.model_validate(company, from_attributes=True)
