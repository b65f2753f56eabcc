"""The served OpenAPI document is valid and documents the contract."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

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
