"""Utilisation over HTTP: the lab's staff read a month's figures as JSON or as CSV files Excel opens; customers are
refused; a bad week or a number of weeks out of bounds is 422 with what is wrong."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from labsys.companies.models import Role, User
from labsys.timeutil import lab_today
from tests.api.conftest import Client
from tests.factories import Lab, make_user
from tests.labsys.utilisation.month import generate_month

pytestmark = pytest.mark.integration

Login = Callable[[User], dict[str, str]]

MONTH = "from=2026-W10&weeks=5"


def _rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode()), "a byte-order mark, so that Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_staff_see_the_months_figures_per_lab_week_instrument_and_company(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    generate_month(session, lab)

    response = client.get(f"/api/utilisation?{MONTH}", headers=login(lab.admin))

    assert response.status_code == 200, response.text
    figures = response.json()
    assert (figures["first_week"], figures["weeks"]) == ("2026-W10", 5)
    assert [week["week"] for week in figures["lab"]] == ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]
    smu = [row for row in figures["instruments"] if row["asset_tag"] == "SMU-01"]
    assert [row["week"] for row in smu] == [week["week"] for week in figures["lab"]]
    assert smu[0]["downtime_hours"] == 11
    assert smu[0]["available_hours"] == 36 - 11
    assert smu[0]["booked_share"] == pytest.approx(smu[0]["booked_hours"] / 25, abs=1e-4)
    week_one = figures["lab"][0]
    assert week_one["booked_hours"] == pytest.approx(
        sum(r["booked_hours"] for r in figures["instruments"] if r["week"] == "2026-W10"), abs=0.05
    )
    assert {c["company"] for c in figures["companies"]} == {lab.company.name, lab.other_company.name}


def test_the_instrument_weeks_as_csv_have_a_header_and_a_row_per_instrument_and_week(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    generate_month(session, lab)
    staff = login(lab.engineer)
    figures = client.get(f"/api/utilisation?{MONTH}", headers=staff).json()

    response = client.get(f"/api/utilisation/instruments.csv?{MONTH}", headers=staff)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="utilisation-instruments-2026-W10-5w.csv"' in response.headers["content-disposition"]
    assert (
        response.content.split(b"\r\n", 1)[0]
        == (
            "\ufeffweek,monday,asset_tag,kind,open_hours,downtime_hours,available_hours,booked_hours,used_hours,"
            "booked_share,used_share"
        ).encode()
    )
    rows = _rows(response.content)
    assert len(rows) == len(lab.instruments) * 5
    by_key = {(r["week"], r["asset_tag"]): r for r in rows}
    for row in figures["instruments"]:
        written = by_key[row["week"], row["asset_tag"]]
        assert float(written["booked_hours"]) == row["booked_hours"]
        assert float(written["used_hours"]) == row["used_hours"]


def test_the_company_weeks_as_csv_keep_hangul_names_and_disarm_formulas(
    client: Client, lab: Lab, login: Login, session: Session
) -> None:
    lab.company.name, lab.other_company.name = "한빛소재(주)", "=HYPERLINK(1)"
    session.add_all([lab.company, lab.other_company])
    session.commit()
    generate_month(session, lab)

    response = client.get(f"/api/utilisation/companies.csv?{MONTH}", headers=login(make_user(session, Role.REVIEWER)))

    assert response.status_code == 200
    rows = _rows(response.content)
    assert list(rows[0]) == ["week", "monday", "company_id", "company", "booked_hours", "used_hours"]
    assert {r["company"] for r in rows} == {"한빛소재(주)", "'=HYPERLINK(1)"}
    assert all(float(r["booked_hours"]) >= float(r["used_hours"]) for r in rows)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("from=2026-W10&weeks=27", "weeks"),
        ("from=2026-W10&weeks=0", "weeks"),
        ("from=next-week", "2026-W49"),
        ("from=2026-W54", "no week"),
        ("from=1900-W10", "year"),
    ],
)
def test_a_bad_week_or_number_of_weeks_is_422_saying_what_is_wrong(
    client: Client, lab: Lab, login: Login, query: str, says: str
) -> None:
    for path in ("/api/utilisation", "/api/utilisation/instruments.csv", "/api/utilisation/companies.csv"):
        response = client.get(f"{path}?{query}", headers=login(lab.engineer))

        assert response.status_code == 422, response.text
        assert says in response.json()["detail"]


def test_customers_are_refused(client: Client, lab: Lab, login: Login) -> None:
    for path in ("/api/utilisation", "/api/utilisation/instruments.csv", "/api/utilisation/companies.csv"):
        assert client.get(path, headers=login(lab.customer)).status_code == 403


def test_without_a_first_week_the_last_weeks_up_to_this_one_are_shown(client: Client, lab: Lab, login: Login) -> None:
    figures = client.get("/api/utilisation?weeks=3", headers=login(lab.engineer)).json()

    year, week, _ = lab_today(ZoneInfo("Asia/Seoul")).isocalendar()
    assert figures["lab"][-1]["week"] == f"{year}-W{week:02d}"
    assert len(figures["lab"]) == 3
    assert all(week["booked_hours"] == 0 for week in figures["lab"])
