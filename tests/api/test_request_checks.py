"""Numbers and times a request carries stay within what the lab stores and computes with: 2^63 in a path, a query
or a body, and the years 1 and 9999, are each a 4xx that says what is wrong, never a server error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from labsys.bookings.models import Booking
from labsys.companies.models import Role, User
from tests.api.conftest import Client
from tests.api.pages.conftest import csrf_token
from tests.api.test_companies import count
from tests.factories import PASSWORD, Lab, make_user

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

TOO_BIG = 2**63  # 9223372036854775808: past every integer a database holds
YEAR_1 = "0001-01-01T00:00:00Z"
YEAR_9999 = "9999-12-31T23:59:59Z"
BOOKING = {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": "earliest"}


@pytest.mark.parametrize("path", [f"/api/bookings/{TOO_BIG}", f"/api/runs/{TOO_BIG}", f"/api/companies/{TOO_BIG}"])
def test_an_id_past_the_database_in_the_path_is_404_naming_it(
    client: Client, lab: Lab, login: Login, path: str
) -> None:
    response = client.get(path, headers=login(lab.customer))

    assert response.status_code == 404
    assert f"{TOO_BIG}: ids run from 1 to 2147483647" in response.json()["detail"]


def test_an_id_past_the_database_in_a_page_address_is_a_not_found_page(client: Client, lab: Lab) -> None:
    form = {"email": lab.customer.email, "password": PASSWORD, "_csrf_token": csrf_token(client.get("/sign-in").text)}
    assert client.post("/sign-in", data=form, follow_redirects=False).status_code in (302, 303)

    response = client.get(f"/bookings/{TOO_BIG}", headers={"Accept": "text/html"})

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(("path", "name"), [("bookings", "offset"), ("runs", "booking"), ("certificates", "booking")])
def test_an_integer_past_the_database_in_the_query_is_422_naming_the_parameter(
    client: Client, lab: Lab, login: Login, path: str, name: str
) -> None:
    response = client.get(f"/api/{path}?{name}={TOO_BIG}", headers=login(lab.customer))

    assert response.status_code == 422
    assert response.json()["detail"] == f"invalid {name}: Expected `int` <= 2147483647"


def test_an_integer_past_the_database_in_a_body_is_422_naming_the_field(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    engineer = login(lab.engineer)

    review = client.post("/api/reviews", json={"booking": TOO_BIG}, headers=engineer)
    reviewer = login(make_user(session, Role.REVIEWER, qualifications=["DIODE-IV"]))
    certificate = client.post("/api/certificates", json={"booking": 1, "runs": [1, -TOO_BIG]}, headers=reviewer)
    too_many = {**BOOKING, "samples": [{"label": "D-1", "quantity": TOO_BIG}]}
    quantity = client.post("/api/bookings", json=too_many, headers=login(lab.customer))

    assert review.status_code == certificate.status_code == quantity.status_code == 422
    assert review.json()["detail"] == (
        "body.booking: 9223372036854775808 is beyond the integers the lab stores (-2147483648 to 2147483647)"
    )
    assert quantity.json()["extra"]["field"] == "body.samples[0].quantity"
    assert certificate.json()["extra"]["field"] == "body.runs[1]"  # in a list, where no field states a bound
    assert count(session, Booking) == 0


def test_an_integer_just_past_what_postgresql_holds_is_refused_as_well(client: Client, lab: Lab, login: Login) -> None:
    response = client.post("/api/runs", json={"booking": 1, "sample": 2**31}, headers=login(lab.engineer))

    assert response.status_code == 422
    assert "2147483648 is beyond the integers the lab stores" in response.json()["detail"]


@pytest.mark.parametrize("start", [YEAR_1, YEAR_9999])
def test_a_booking_start_outside_the_labs_years_is_422(
    client: Client, lab: Lab, login: Login, session: Session, start: str
) -> None:
    response = client.post("/api/bookings", json={**BOOKING, "start": start}, headers=login(lab.customer))

    assert response.status_code == 422
    assert response.json()["detail"] == "invalid start: the year must lie between 2000 and 2100"
    assert count(session, Booking) == 0


@pytest.mark.parametrize("start", [YEAR_1, YEAR_9999])
def test_a_reschedule_outside_the_labs_years_is_422(client: Client, lab: Lab, login: Login, start: str) -> None:
    customer = login(lab.customer)
    booking = client.post("/api/bookings", json=BOOKING, headers=customer).json()

    response = client.post(f"/api/bookings/{booking['id']}/reschedule", json={"start": start}, headers=customer)

    assert response.status_code == 422
    assert response.json()["detail"] == "invalid start: the year must lie between 2000 and 2100"


@pytest.mark.parametrize("edge", ["start", "end"])
@pytest.mark.parametrize("when", [YEAR_1, YEAR_9999])
def test_availability_outside_the_labs_years_is_422_naming_the_edge(
    client: Client, lab: Lab, login: Login, edge: str, when: str
) -> None:
    response = client.get(f"/api/availability?method=DIODE-IV&{edge}={when}", headers=login(lab.customer))

    assert response.status_code == 422
    assert response.json()["detail"] == f"{edge}: the year must lie between 2000 and 2100"


def test_a_calibration_dated_outside_the_labs_years_is_422(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    engineer = login(make_user(session, Role.ENGINEER))
    body = {"calibrated_on": "2026-01-05", "calibration_due": "9999-12-31", "certificate": "KOLAS-1"}

    response = client.post("/api/instruments/DMM-01/calibrations", json=body, headers=engineer)

    assert response.status_code == 422
    assert response.json()["detail"] == "invalid calibration_due: the year must lie between 2000 and 2100"
