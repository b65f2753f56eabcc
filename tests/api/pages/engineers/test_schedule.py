"""The week's schedule: each instrument's reservations as blocks on their day, linking to their booking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from labsys.companies.models import User
from tests.api.pages.conftest import Client
from tests.api.pages.engineers.booked import Login, confirmed, starts
from tests.factories import Lab

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]


def _iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def _row(html: str, asset_tag: str) -> str:
    start = html.index(f'<th scope="row">\n      {asset_tag}')
    return html[start : html.index("</tr>", start)]


def test_a_confirmed_booking_is_a_block_on_its_instruments_row_linking_to_it(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    start = starts(days=8)
    booking = confirmed(client, login, lab.customer, start)
    sign_in_page(lab.engineer)

    response = client.get(f"/schedule?week={start.date().isoformat()}")

    assert response.status_code == 200
    assert "일정" in response.text
    row = _row(response.text, "SMU-01")
    assert f'href="/bookings/{booking["id"]}"' in row
    assert f"#{booking['id']} DIODE-IV" in row
    assert lab.company.name in row
    assert "확정됨" in row  # the booking's status, for a screen reader and the tooltip
    assert "left: 11.11%" in row  # 10:00 in a day open 09:00 to 18:00
    assert f'href="/bookings/{booking["id"]}"' not in _row(response.text, "DMM-01")


def test_the_week_is_named_by_its_iso_week_with_links_to_the_weeks_around_it(
    client: Client, lab: Lab, login: Login, sign_in_page: SignIn
) -> None:
    start = starts(days=8)
    booking = confirmed(client, login, lab.customer, start)
    sign_in_page(lab.engineer)

    same_week = client.get(f"/schedule?week={_iso_week(start)}")
    previous = client.get(f"/schedule?week={_iso_week(start)}").text.split('rel="prev"')[0].rsplit('href="', 1)[1]

    assert f'href="/bookings/{booking["id"]}"' in same_week.text
    assert previous.startswith("/schedule?week=")
    assert f'href="/bookings/{booking["id"]}"' not in client.get(previous.split('"')[0]).text
    assert 'rel="next"' in same_week.text


def test_a_week_that_is_no_week_is_refused(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.engineer)

    response = client.get("/schedule?week=next-tuesday", headers={"Accept": "text/html"})

    assert response.status_code == 422
    assert "next-tuesday" in response.text


def test_a_customer_may_not_see_the_labs_schedule(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)

    response = client.get("/schedule", headers={"Accept": "text/html"})

    assert response.status_code == 403
