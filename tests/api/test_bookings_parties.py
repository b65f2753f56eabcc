"""Who a booking names, and so who a certificate names: the booking's own company, or a business whose
사업자등록번호 is a valid one; never free text with any number."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from labsys.companies.brn import format_brn
from labsys.companies.models import User
from tests.api.conftest import Client
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

#: A business other than the booking company, with a valid registration number.
DAEHAN = {"name": "(주)대한상사", "address": "서울 중구 세종대로 1", "business_registration_number": "220-81-62517"}


def _book(client: Client, headers: dict[str, str], **parties: Any) -> Any:
    start = lab_start(datetime.now(UTC) + timedelta(days=3), at=time(10, 0))
    body = {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": start.isoformat(), **parties}
    return client.post("/api/bookings", json=body, headers=headers)


def test_a_business_with_a_valid_number_may_apply_and_pay_and_is_kept_as_given(
    client: Client, lab: Lab, login: Login
) -> None:
    response = _book(client, login(lab.customer), applicant=DAEHAN, payer=DAEHAN)
    assert response.status_code == 201, response.text
    body = response.json()
    for role in ("applicant", "payer"):
        assert (body[role]["name"], body[role]["business_registration_number"]) == ("(주)대한상사", "2208162517")
    assert body["report_recipient"]["name"] == lab.company.name


@pytest.mark.parametrize(
    ("number", "says"),
    [("000", "10 digits"), ("0000000000", "no business"), ("220-81-62518", "check digit"), ("", "10 digits")],
)
@pytest.mark.parametrize("role", ["applicant", "payer"])
def test_an_applicant_or_payer_without_a_valid_number_is_refused_naming_the_field(
    client: Client, lab: Lab, login: Login, role: str, number: str, says: str
) -> None:
    response = _book(client, login(lab.customer), **{role: {**DAEHAN, "business_registration_number": number}})
    assert response.status_code == 422, response.text
    assert f"{role}.business_registration_number" in response.json()["detail"]
    assert says in response.json()["detail"]


def test_an_applicant_named_without_any_number_is_refused(client: Client, lab: Lab, login: Login) -> None:
    response = _book(client, login(lab.customer), applicant={"name": "Samsung Electronics"})
    assert response.status_code == 422
    assert "applicant.business_registration_number" in response.json()["detail"]


def test_a_party_with_the_companys_own_number_is_the_company_as_registered_whatever_name_it_gives(
    client: Client, lab: Lab, login: Login
) -> None:
    own = {"name": "Some Famous Company", "business_registration_number": lab.company.business_registration_number}
    response = _book(client, login(lab.customer), applicant={**own, "contact": "QA team"})
    assert response.status_code == 201, response.text
    applicant = response.json()["applicant"]
    assert (applicant["name"], applicant["address"]) == (lab.company.name, lab.company.address)
    assert applicant["contact"] == "QA team"


def test_a_report_recipient_may_be_a_person_but_a_number_given_must_be_valid(
    client: Client, lab: Lab, login: Login
) -> None:
    customer = login(lab.customer)
    person = {"name": "Dr. Lee, QA lab", "contact": "lee@example.com"}
    assert _book(client, customer, report_recipient=person).status_code == 201
    refused = _book(client, customer, report_recipient={**person, "business_registration_number": "000"})
    assert refused.status_code == 422
    assert "report_recipient.business_registration_number" in refused.json()["detail"]


def test_a_correction_of_the_company_record_reaches_its_bookings(client: Client, lab: Lab, login: Login) -> None:
    booked = _book(client, login(lab.customer)).json()
    correction = {"name": "Hanbit Materials Co., Ltd.", "business_registration_number": "120-81-47521", "reason": "x"}
    admin = login(lab.admin)
    assert client.patch(f"/api/companies/{lab.company.id}", json=correction, headers=admin).status_code == 200

    booking = client.get(f"/api/bookings/{booked['id']}", headers=login(lab.customer)).json()

    for role in ("applicant", "payer", "report_recipient"):
        assert booking[role]["name"] == "Hanbit Materials Co., Ltd."
        assert format_brn(booking[role]["business_registration_number"]) == "120-81-47521"
