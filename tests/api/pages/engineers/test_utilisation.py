"""The utilisation page: the lab's weeks as a chart and a table, each instrument's and company's hours with share
bars, week navigation and links to the CSV files; for staff only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session

from labsys.companies.accounts import Account
from labsys.companies.models import User
from labsys.services import LabServices
from tests.api.pages.conftest import Client
from tests.factories import Lab
from tests.labsys.utilisation.month import generate_month

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]


def _row(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


def test_the_page_shows_the_months_figures_as_the_api_gives_them(
    client: Client, lab: Lab, session: Session, sign_in_page: SignIn, services: LabServices
) -> None:
    generate_month(session, lab)
    sign_in_page(lab.engineer)
    figures = services.utilisation.weeks(date(2026, 3, 2), 5, viewer=Account.of(lab.engineer)).model_dump()

    response = client.get("/utilisation?from=2026-W10&weeks=5")

    assert response.status_code == 200
    html = response.text
    assert "<h1>가동률</h1>" in html
    assert html.count("<rect ") == 3 * 5  # booked, used and downtime bars for each week
    week_one = figures["lab"][0]
    assert f"{week_one['booked_hours']:.1f}" in _row(html, '<th scope="row">2026-W10')
    smu = [r for r in figures["instruments"] if r["asset_tag"] == "SMU-01"]
    booked, available = sum(r["booked_hours"] for r in smu), sum(r["available_hours"] for r in smu)
    smu_row = _row(html, 'id="instrument-SMU-01"')
    assert f"{available:.1f}" in smu_row
    assert f"예약 {100 * booked / available:.0f}%" in smu_row
    assert re.search(r'class="bar-booked" style="width: \d+\.\d%"', smu_row)
    assert "가용 시간 없음" not in smu_row
    for name in (lab.company.name, lab.other_company.name):
        assert f'<th scope="row">{name}</th>' in html
    assert 'href="/utilisation/instruments.csv?from=2026-W10&amp;weeks=5"' in html
    assert 'href="/utilisation/companies.csv?from=2026-W10&amp;weeks=5"' in html
    assert 'href="/utilisation?from=2026-W05&amp;weeks=5" rel="prev"' in html
    assert 'href="/utilisation?from=2026-W15&amp;weeks=5" rel="next"' in html


def test_the_csv_links_download_with_the_pages_sign_in(
    client: Client, lab: Lab, session: Session, sign_in_page: SignIn
) -> None:
    generate_month(session, lab)
    sign_in_page(lab.engineer)

    instruments = client.get("/utilisation/instruments.csv?from=2026-W10&weeks=5")
    companies = client.get("/utilisation/companies.csv?from=2026-W10&weeks=5")

    assert instruments.status_code == companies.status_code == 200
    assert instruments.headers["content-type"] == companies.headers["content-type"] == "text/csv; charset=utf-8"
    assert instruments.content.startswith("\ufeffweek,monday,asset_tag".encode())
    assert len(instruments.content.decode("utf-8-sig").splitlines()) == 1 + len(lab.instruments) * 5
    assert lab.other_company.name in companies.content.decode("utf-8-sig")


def test_staff_find_the_page_in_their_navigation(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.admin)

    assert 'href="/utilisation"' in client.get("/admin/users").text


def test_too_many_weeks_are_refused_saying_so(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.engineer)

    response = client.get("/utilisation?weeks=40", headers={"Accept": "text/html"})

    assert response.status_code == 422
    assert "weeks must be 1 to 26" in response.text


def test_a_customer_may_not_see_the_labs_utilisation(client: Client, lab: Lab, sign_in_page: SignIn) -> None:
    sign_in_page(lab.customer)

    response = client.get("/utilisation", headers={"Accept": "text/html"})

    assert response.status_code == 403
    assert 'href="/utilisation"' not in client.get("/bookings").text
    assert client.get("/utilisation/companies.csv").status_code == 403
