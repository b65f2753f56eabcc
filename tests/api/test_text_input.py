"""The NUL character is refused at the door, alike on both databases, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from labsys.companies.models import Company, User
from tests.api.conftest import Client
from tests.api.test_companies import count, registration
from tests.factories import Lab

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]


@pytest.mark.parametrize("field", ["name", "address", "contact_name"])
def test_a_nul_in_a_json_body_is_422_naming_the_body_and_writes_nothing(
    client: Client, session: Session, field: str
) -> None:
    response = client.post("/api/companies", json=registration(**{field: "Han\x00bit"}))
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == ("the request's body holds the NUL character (\\u0000), which no text may hold")
    assert count(session, Company) == 0


def test_a_nul_in_a_nested_list_or_a_key_is_refused(client: Client, lab: Lab, login: Login) -> None:
    customer = login(lab.customer)
    sample = {"label": "S-1", "description": "wafer \x00 7"}
    response = client.post("/api/bookings", json={"method": "DIODE-IV", "samples": [sample]}, headers=customer)
    assert response.status_code == 422
    assert response.json()["extra"]["field"] == "body"
    keyed = client.post("/api/bookings", json={"method": "DIODE-IV", "samples": [{"S\x00": 1}]}, headers=customer)
    assert keyed.status_code == 422
    assert keyed.json()["extra"]["field"] == "body"


def test_a_written_backslash_u0000_is_text_like_any_other(client: Client, session: Session) -> None:
    name = "(주)한빛 \\u0000 Materials"  # a backslash and five characters, not the NUL character
    response = client.post("/api/companies", json=registration(name=name))
    assert response.status_code == 202, response.text
    stored = session.exec(select(Company.name)).one()
    assert stored == name


def test_a_nul_in_the_query_or_the_path_is_refused(client: Client, lab: Lab, login: Login) -> None:
    customer = login(lab.customer)
    query = client.get("/api/availability?method=DIODE%00IV", headers=customer)
    assert query.status_code == 422
    assert query.json()["extra"]["field"] == "query"
    path = client.get("/api/methods/DIODE%00IV", headers=customer)
    assert path.status_code == 422
    assert path.json()["extra"]["field"] == "path"
