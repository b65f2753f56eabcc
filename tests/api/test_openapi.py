"""The served OpenAPI document is valid and tells the truth: who may call each operation, every error it answers
(with the error schema), the bounds of what a request carries, and files as they are sent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.utils import formatdate
from typing import Any

import pytest
from openapi_spec_validator import validate

from labsys.bounds import DB_INT_MAX, MONEY_MAX_KRW
from tests.api.conftest import Client

pytestmark = pytest.mark.integration


def test_the_served_openapi_document_validates(client: Client) -> None:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    paths = document["paths"]
    for path in ("/api/auth/token", "/api/companies", "/api/methods", "/api/methods/{code}", "/api/instruments"):
        assert path in paths
    created = paths["/api/bookings"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/BookingPublic"}


def test_the_interactive_docs_page_is_served(client: Client) -> None:
    response = client.get("/schema/")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                yield path, method, operation


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _integers(
    document: dict[str, Any], schema: dict[str, Any], field: str = "", seen: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Any]]:
    """Every integer schema reachable from ``schema`` (through references, properties, items and unions), with the
    name of the field it is (or whose list it is in)."""
    ref = schema.get("$ref")
    if ref in seen:
        return
    resolved = _resolve(document, schema)
    seen = seen | ({ref} if ref else set())
    types = resolved.get("type")
    if types == "integer" or (isinstance(types, list) and "integer" in types):
        yield field, resolved
    for name, child in resolved.get("properties", {}).items():
        yield from _integers(document, child, name, seen)
    bounds = {k: resolved[k] for k in ("minimum", "maximum") if k in resolved}  # a union's bounds hold for each part
    for child in [*resolved.get("oneOf", []), *resolved.get("anyOf", [])]:
        yield from _integers(document, {**bounds, **child}, field, seen)
    if isinstance(resolved.get("items"), dict):
        yield from _integers(document, resolved["items"], field, seen)


def test_every_operation_documents_its_errors_with_the_error_schema(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    for path, method, operation in _operations(document):
        responses, label = operation["responses"], f"{method.upper()} {path}"
        statuses = {int(s) for s in responses}
        internal = responses["500"]["content"]["application/json"]["schema"]
        assert internal == {"$ref": "#/components/schemas/InternalError"}, label
        for status in statuses - {500}:
            if status >= 400:
                error = responses[str(status)]["content"]["application/json"]["schema"]
                assert error == {"$ref": "#/components/schemas/Error"}, label
        if operation["security"]:
            assert 401 in statuses, label
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            assert 404 in statuses, label
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert {400, 413, 415, 422} <= statuses, label
        if operation["security"] and operation["security"][0]["BearerToken"]:
            assert 403 in statuses, label
        assert 400 not in statuses or "requestBody" in operation, f"{label}: 400 is for a body that is not JSON"


def test_public_operations_need_no_sign_in_and_the_others_name_the_roles_they_admit(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    public = {f"{m.upper()} {p}" for p, m, op in _operations(document) if op["security"] == []}
    assert public == {
        "GET /api/health",
        "POST /api/auth/token",
        "POST /api/companies",
        "GET /api/methods",
        "GET /api/methods/{code}",
        "GET /verify/{number}",
        "POST /verify/{number}",
        "GET /calendar/{address}",
    }
    operations = {f"{m.upper()} {p}": op for p, m, op in _operations(document)}
    assert operations["POST /api/certificates"]["security"] == [{"BearerToken": ["reviewer"]}]
    assert operations["GET /api/instruments"]["security"] == [{"BearerToken": ["admin", "engineer", "reviewer"]}]
    assert operations["GET /api/bookings/{booking_id}"]["security"] == [{"BearerToken": []}]  # any signed-in user


def test_every_integer_a_request_carries_is_bounded_by_what_the_database_holds(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    for path, method, operation in _operations(document):
        schemas = [p["schema"] for p in operation.get("parameters", [])]
        schemas += [c["schema"] for c in operation.get("requestBody", {}).get("content", {}).values()]
        for schema in schemas:
            for field, integer in _integers(document, schema):
                greatest = MONEY_MAX_KRW if field.endswith("_krw") else DB_INT_MAX  # money is BIGINT
                assert integer.get("maximum", greatest + 1) <= greatest, f"{method.upper()} {path} {field}: {integer}"


def test_files_are_documented_as_they_are_sent(client: Client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    data = paths["/api/runs/{run_id}/data"]["get"]["responses"]["200"]
    pdf = paths["/api/certificates/{number}/pdf"]["get"]["responses"]["200"]
    calendar = paths["/api/bookings/calendar.ics"]["get"]["responses"]["200"]

    assert set(data["content"]) == {"application/x-hdf5"}
    assert set(pdf["content"]) == {"application/pdf"}
    assert set(calendar["content"]) == {"text/calendar"}
    for file in (data, pdf):
        assert "X-Content-SHA256" in file["headers"]
        pattern = file["headers"]["last-modified"]["schema"]["pattern"]
        assert re.fullmatch(pattern, formatdate(1796169600, usegmt=True))  # as Litestar sends it
        assert not re.fullmatch(pattern, "2026-12-02T09:00:00Z")
