"""The admin sets an engineer's weekly shifts and leave on the engineer's page, as the API does."""

from __future__ import annotations

import re

import pytest

from tests.api.pages.admin.conftest import Login, post_form
from tests.api.pages.conftest import Client
from tests.factories import Lab

pytestmark = pytest.mark.integration


def test_the_admin_sets_an_engineers_shifts_on_their_page_and_the_api_reads_them_back(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    lab = admin_signed_in
    page = f"/admin/users/{lab.engineer.id}"
    assert "근무 시간과 휴가" in client.get(page).text
    form = {"starts_0": "09:00", "ends_0": "13:00", "starts_2": "13:00", "ends_2": "18:00", "starts_4": ""}
    response = post_form(client, page, f"{page}/shifts", form)
    assert response.status_code == 303
    shifts = client.get(f"/api/users/{lab.engineer.id}/shifts", headers=login(lab.admin)).json()["data"]
    assert [(s["weekday"], s["starts_at"], s["ends_at"]) for s in shifts] == [
        (0, "09:00:00", "13:00:00"),
        (2, "13:00:00", "18:00:00"),
    ]
    shown = client.get(page).text
    assert re.search(r'name="starts_2"[^>]*value="13:00"', shown)


def test_a_shift_ending_before_it_starts_is_refused_with_what_is_wrong(client: Client, admin_signed_in: Lab) -> None:
    page = f"/admin/users/{admin_signed_in.engineer.id}"
    response = post_form(client, page, f"{page}/shifts", {"starts_1": "18:00", "ends_1": "09:00"})
    assert response.status_code == 422
    assert "must come after its starts_at" in response.text


def test_the_admin_adds_and_cancels_an_engineers_leave(client: Client, admin_signed_in: Lab, login: Login) -> None:
    lab = admin_signed_in
    page = f"/admin/users/{lab.engineer.id}"
    leave = {"first_day": "2026-12-21", "last_day": "2026-12-24", "reason": "연차 휴가"}
    assert post_form(client, page, f"{page}/leave", leave).status_code == 303
    assert "연차 휴가" in client.get(page).text
    (added,) = client.get(f"/api/users/{lab.engineer.id}/leave", headers=login(lab.admin)).json()["data"]
    assert post_form(client, page, f"{page}/leave/{added['id']}/remove", {}).status_code == 303
    assert "기록된 휴가가 없습니다." in client.get(page).text


def test_a_page_of_someone_not_an_engineer_has_no_shifts(client: Client, admin_signed_in: Lab) -> None:
    assert "근무 시간과 휴가" not in client.get(f"/admin/users/{admin_signed_in.admin.id}").text
