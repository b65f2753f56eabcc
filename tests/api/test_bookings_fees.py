"""Fees beyond ₩2.1 billion (what PostgreSQL's 32-bit ``INTEGER`` held): a large equipment verification is quoted,
booked and read back to the won; a fee beyond what the lab records is refused naming the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from labsys.bookings.models import Booking
from labsys.bounds import MONEY_MAX_KRW
from labsys.companies.models import User
from labsys.methods.models import TestMethod
from tests.api.conftest import Client
from tests.api.test_companies import count
from tests.factories import Lab

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

BIG_FEE_KRW = 3_000_000_000  # ₩3 billion: past 2^31 - 1
BOOKING = {"method": "DIODE-IV", "samples": [{"label": "EQ-1", "quantity": 1}], "start": "earliest"}


def _set_fee(session: Session, lab: Lab, fee_krw: int) -> None:
    method = session.get(TestMethod, lab.methods["DIODE-IV"].id)
    assert method is not None
    method.fee_krw = fee_krw
    session.add(method)
    session.commit()


def test_a_three_billion_won_method_is_quoted_and_booked_to_the_won(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    _set_fee(session, lab, BIG_FEE_KRW)
    headers = login(lab.customer)

    catalog = client.get("/api/methods/DIODE-IV")
    booked = client.post("/api/bookings", json={**BOOKING, "urgency": "urgent"}, headers=headers)

    assert catalog.json()["fee_krw"] == BIG_FEE_KRW
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["quote"]["unit_fee_krw"] == BIG_FEE_KRW
    assert body["quote"]["fee_krw"] == body["fee_krw"] == 4_500_000_000
    read_back = client.get(f"/api/bookings/{body['id']}", headers=headers).json()
    assert read_back["fee_krw"] == 4_500_000_000
    session.expire_all()
    stored = session.get(Booking, body["id"])
    assert stored is not None
    assert stored.fee_krw == 4_500_000_000


def test_a_quote_past_what_the_lab_records_is_422_naming_the_samples(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    _set_fee(session, lab, MONEY_MAX_KRW // 2 + 1)

    response = client.post(
        "/api/bookings", json={**BOOKING, "samples": [{"label": "EQ-1", "quantity": 2}]}, headers=login(lab.customer)
    )

    assert response.status_code == 422
    assert response.json()["extra"]["field"] == "samples"
    assert "is more than one booking can record (9,007,199,254,740,991 KRW)" in response.json()["detail"]
    assert count(session, Booking) == 0


def test_an_amount_of_money_past_the_bound_in_a_body_is_422_naming_the_field(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    headers = login(lab.customer)

    beyond = client.post("/api/bookings", json={**BOOKING, "fee_krw": MONEY_MAX_KRW + 1}, headers=headers)
    within = client.post("/api/bookings", json={**BOOKING, "fee_krw": BIG_FEE_KRW}, headers=headers)

    assert beyond.status_code == 422
    assert beyond.json()["extra"]["field"] == "body.fee_krw"
    assert beyond.json()["detail"] == (
        "body.fee_krw: 9007199254740992 is beyond the amounts of money the lab stores "
        "(-9007199254740991 to 9007199254740991)"
    )
    assert within.status_code == 201, within.text  # a client's fee is not the lab's: the quote is the method's
    assert within.json()["fee_krw"] == 180_000
    assert count(session, Booking) == 1
