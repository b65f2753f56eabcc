"""Booking a test through the form: a method, samples, a free slot on the calendar or the earliest, the quote next;
a rule's refusal names the rule and offers the next free slot as a button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from labsys.companies.models import User
from tests.api.pages.conftest import Client, csrf_token
from tests.api.pages.customers.helpers import book, booking_id, free_starts, post_form
from tests.factories import Lab

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]
Login = Callable[[User], dict[str, str]]


def test_the_form_preselects_the_method_asked_for_and_shows_its_free_slots_by_day(
    client: Client, lab: Lab, sign_in_page: SignIn
) -> None:
    sign_in_page(lab.customer)

    page = client.get("/bookings/new?method=CAP-CD").text

    assert 'id="method-CAP-CD" value="CAP-CD" checked' in page
    assert "120,000원" in page  # the fee, with the turnaround beside it
    assert 'id="start-earliest" name="start" value="earliest" checked' in page
    assert len(free_starts(page)) > 10
    assert '<fieldset class="slot-day">' in page
    assert 'hx-get="/bookings/new/slots"' in page


def test_choosing_another_method_swaps_in_its_calendar(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)

    fragment = client.get("/bookings/new/slots", params={"method": "STEP-RISE"}).text

    assert fragment.lstrip().startswith('<div id="slot-calendar"')
    assert "<html" not in fragment
    assert free_starts(fragment)


def test_adding_a_sample_row_brings_the_next_row_and_button(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)

    fragment = client.get("/bookings/new/sample-row", params={"index": 1}).text

    assert 'name="samples-1-label"' in fragment
    assert "시료 2" in fragment
    assert 'hx-get="/bookings/new/sample-row?index=2"' in fragment
    assert 'hx-swap-oob="true"' in fragment


def test_booking_the_earliest_slot_shows_the_quote_before_confirming(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    first = free_starts(client.get("/bookings/new?method=DIODE-IV").text)[0]

    booking = booking_id(book(client, start="earliest"))

    page = client.get(f"/bookings/{booking}").text
    assert "견적" in page
    assert "180,000원" in page  # the fee per piece
    assert "360,000원에 예약 확정" in page  # two pieces, standard
    stored = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()
    assert stored["status"] == "quoted"
    assert datetime.fromisoformat(stored["starts_at"]) == datetime.fromisoformat(first)
    assert stored["samples"][0]["label"] == "D-1"


def test_booking_a_slot_chosen_on_the_calendar_holds_that_slot(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    chosen = free_starts(client.get("/bookings/new?method=DIODE-IV").text)[5]

    payer = {"payer-name": "(주)대한상사", "payer-business_registration_number": "220-81-62517"}
    booking = booking_id(book(client, start=chosen, urgency="urgent", **payer))

    stored = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()
    assert datetime.fromisoformat(stored["starts_at"]) == datetime.fromisoformat(chosen)
    assert stored["quote"]["fee_krw"] == 540_000  # 180,000원 × 2 × 1.5
    assert stored["payer"]["name"] == "(주)대한상사"
    assert stored["applicant"]["name"] == lab.company.name


def test_a_taken_slot_shows_the_rule_and_books_the_next_free_slot_from_its_button(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    taken = free_starts(client.get("/bookings/new?method=DIODE-IV").text)[3]
    other = {"method": "DIODE-IV", "samples": [{"label": "X"}], "start": taken}
    assert client.post("/api/bookings", json=other, headers=login(lab.other_customer)).status_code == 201

    refused = book(client, start=taken)

    assert refused.status_code == 409
    assert "그 시간은 방금 다른 예약이 잡혔습니다" in refused.text
    assert "slot_taken" in refused.text  # the service's detail, below the sentence
    assert "다음 가능 일시로 예약" in refused.text
    booking = booking_id(post_form(client, refused.text, "/bookings/new"))
    stored = client.get(f"/api/bookings/{booking}", headers=login(lab.customer)).json()
    assert datetime.fromisoformat(stored["starts_at"]) > datetime.fromisoformat(taken)
    assert stored["samples"][0]["description"] == "1N4148 다이오드"  # the same request, at the next slot
    assert stored["quote"]["quantity"] == 2


def test_bad_input_is_422_with_each_error_next_to_its_field_and_nothing_booked(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)

    response = book(client, **{"samples-0-label": "", "samples-0-quantity": "many", "applicant-name": ""})

    assert response.status_code == 422
    assert 'id="samples-0-label-error">이 항목을 입력하세요.' in response.text
    assert 'id="samples-0-quantity-error">정수를 입력하세요.' in response.text
    assert 'value="many"' in response.text
    assert client.get("/api/bookings", headers=login(lab.customer)).json()["count"] == 0


def test_a_form_without_samples_asks_for_one(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)

    response = book(client, **{"samples-0-label": "", "samples-0-description": "", "samples-0-quantity": ""})

    assert response.status_code == 422
    assert 'id="samples-error"' in response.text


def test_the_booking_form_is_for_customers_and_needs_its_csrf_token(
    client: Client, lab: Lab, sign_in_page: SignIn, login: Login
) -> None:
    sign_in_page(lab.customer)
    client.get("/bookings/new")

    without_token = client.post("/bookings/new", data={"method": "DIODE-IV", "samples-0-label": "D-1"})

    assert without_token.status_code == 403
    assert client.get("/api/bookings", headers=login(lab.customer)).json()["count"] == 0
    client.cookies.clear()
    sign_in_page(lab.engineer)
    assert client.get("/bookings/new", headers={"Accept": "text/html"}).status_code == 403
    token = csrf_token(client.get("/bookings").text)
    assert client.post("/bookings/new", data={"_csrf_token": token}).status_code == 403


def test_a_payer_whose_number_is_not_valid_is_refused_next_to_the_field(
    client: Client, lab: Lab, sign_in_page: SignIn
) -> None:
    sign_in_page(lab.customer)

    refused = book(client, **{"payer-name": "(주)아무회사", "payer-business_registration_number": "000"})

    assert refused.status_code == 422
    assert 'id="payer-business_registration_number-error">사업자등록번호는 숫자 10자리입니다' in refused.text
