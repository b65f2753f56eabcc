"""The instrument's downtime on the admin's instrument page: add a block on the lab's clock, see the bookings it
displaces with the week to plan again, remove a block; each read back through the API."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from labsys.audit.models import AuditEvent
from tests.api.pages.admin.conftest import HTML, Login, SignInPage, error_next_to, post_form
from tests.api.pages.conftest import Client
from tests.factories import Lab, lab_start

pytestmark = pytest.mark.integration

SEOUL = ZoneInfo("Asia/Seoul")
PAGE = "/admin/equipment/SMU-01"
ADD = "/admin/equipment/SMU-01/downtime"
API = "/api/instruments/SMU-01/downtime"


def _start(hour: int = 10) -> datetime:
    return lab_start(datetime.now(UTC) + timedelta(days=3), at=time(hour, 0))


def _form(starts: datetime, ends: datetime, **fields: str) -> dict[str, str]:
    """The form as a person fills it in: each end a date and a time on the lab's clock."""
    start, end = starts.astimezone(SEOUL), ends.astimezone(SEOUL)
    return {
        "kind": "repair",
        "starts_on": start.date().isoformat(),
        "starts_time": start.strftime("%H:%M"),
        "ends_on": end.date().isoformat(),
        "ends_time": end.strftime("%H:%M"),
        "reason": "출력 릴레이 교체",
        **fields,
    }


def _blocks(client: Client, login: Login, lab: Lab) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = client.get(API, headers=login(lab.admin)).json()["data"]
    return listed


def _book(client: Client, login: Login, lab: Lab, start: datetime) -> int:
    request = {
        "method": "DIODE-IV",
        "samples": [{"label": "D-1", "description": "1N4148 diode", "quantity": 1}],
        "start": start.isoformat(),
    }
    response = client.post("/api/bookings", json=request, headers=login(lab.customer))
    assert response.status_code == 201, response.text
    booking_id: int = response.json()["id"]
    return booking_id


def test_a_block_typed_on_the_lab_clock_is_listed_on_the_page_and_by_the_api(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    starts, ends = _start(9), _start(9) + timedelta(hours=3)

    response = post_form(client, PAGE, ADD, _form(starts, ends))

    assert response.status_code == 303, response.text
    assert re.fullmatch(r"/admin/equipment/SMU-01\?added=\d+#downtime", response.headers["location"])
    [block] = _blocks(client, login, admin_signed_in)
    assert (block["kind"], block["reason"]) == ("repair", "출력 릴레이 교체")
    assert datetime.fromisoformat(str(block["starts_at"])) == starts
    assert datetime.fromisoformat(str(block["ends_at"])) == ends
    page = client.get(response.headers["location"]).text
    assert "겹치는 예약은 없습니다" in page
    row = page[page.index("출력 릴레이 교체") :].split("</tr>", 1)[0]
    assert admin_signed_in.admin.name in row
    assert "오전 9:00" in page[: page.index("출력 릴레이 교체")]  # the start as the lab's clock reads it


def test_a_block_that_ends_before_it_starts_comes_back_with_the_error_next_to_its_end(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    response = post_form(client, PAGE, ADD, _form(_start(12), _start(9)))

    assert response.status_code == 422
    assert error_next_to(response.text, "downtime-ends_on") == "종료 시각은 시작 시각보다 뒤여야 합니다."
    assert ">출력 릴레이 교체</textarea>" in response.text  # the form comes back as typed
    assert _blocks(client, login, admin_signed_in) == []


def test_a_block_longer_than_a_year_a_missing_time_and_a_slipped_year_are_said_next_to_their_fields(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    too_long = post_form(client, PAGE, ADD, _form(_start(9), _start(9) + timedelta(days=400)))
    no_time = post_form(client, PAGE, ADD, {**_form(_start(9), _start(12)), "starts_time": ""})
    year_one = post_form(client, PAGE, ADD, {**_form(_start(9), _start(12)), "starts_on": "0001-01-01"})

    assert (too_long.status_code, no_time.status_code, year_one.status_code) == (422, 422, 422)
    assert "최대 1년" in error_next_to(too_long.text, "downtime-ends_on")
    assert error_next_to(no_time.text, "downtime-starts_time") == "이 항목을 입력하세요."
    assert error_next_to(year_one.text, "downtime-starts_on") == "2000년에서 2100년 사이의 날짜를 입력하세요."
    assert _blocks(client, login, admin_signed_in) == []


def test_a_block_over_booked_work_lists_the_bookings_with_a_link_to_plan_their_week(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    lab = admin_signed_in
    booking = _book(client, login, lab, _start(10))

    added = post_form(client, PAGE, ADD, _form(_start(9), _start(9) + timedelta(hours=3)))
    page = client.get(added.headers["location"]).text

    year, week, _ = _start(10).astimezone(SEOUL).isocalendar()
    displaced = page[page.index("겹치는 예약: 1건") :].split("</table>", 1)[0]
    assert f'<a href="/bookings/{booking}">{booking}</a>' in displaced
    assert lab.company.name in displaced
    assert f'href="/admin/plan?week={year}-W{week:02d}"' in page
    assert f"{year}-W{week:02d} 주 계획하기" in page


def test_removing_a_block_on_the_page_frees_the_instrument_and_is_audited(
    client: Client, admin_signed_in: Lab, login: Login, session: Session
) -> None:
    lab = admin_signed_in
    body = {
        "kind": "maintenance",
        "starts_at": _start(9).isoformat(),
        "ends_at": (_start(9) + timedelta(hours=2)).isoformat(),
        "reason": "yearly maintenance",
    }
    block = client.post(API, json=body, headers=login(lab.admin)).json()["downtime"]
    assert "yearly maintenance" in client.get(PAGE).text

    removed = post_form(client, PAGE, f"{ADD}/{block['id']}/remove", {})

    assert removed.status_code == 303
    assert removed.headers["location"] == f"{PAGE}#downtime"
    assert _blocks(client, login, lab) == []
    assert "yearly maintenance" not in client.get(PAGE).text
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == "SMU-01")).all()
    assert "instrument.downtime_removed" in actions


def test_engineers_and_customers_may_not_open_the_page_nor_add_or_remove_blocks(
    client: Client, lab: Lab, login: Login, sign_in_page: SignInPage
) -> None:
    body = {
        "kind": "maintenance",
        "starts_at": _start(9).isoformat(),
        "ends_at": (_start(9) + timedelta(hours=2)).isoformat(),
        "reason": "yearly maintenance",
    }
    block = client.post(API, json=body, headers=login(lab.admin)).json()["downtime"]
    for person, own_page in ((lab.engineer, "/equipment"), (lab.customer, "/bookings")):
        sign_in_page(person)

        page = client.get(PAGE, headers=HTML)
        added = post_form(client, own_page, ADD, _form(_start(12), _start(13)))
        removed = post_form(client, own_page, f"{ADD}/{block['id']}/remove", {})

        assert (page.status_code, added.status_code, removed.status_code) == (403, 403, 403)
    assert [b["id"] for b in _blocks(client, login, lab)] == [block["id"]]
