"""Every page each person opens, in a real browser at desktop and phone widths: nothing leaves the host, the
console stays clean, and axe-core finds no serious or critical accessibility violation."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser

from labsys.demo import DEMO_PASSWORD
from tests.e2e.pages.conftest import DESKTOP, PHONE, Visit, open_visit
from tests.e2e.pages.journey import ENGINEER, REVIEWER
from tests.e2e.serving import Served

HANBIT = "minjun.kim@hanbit.example.com"
ADMIN = "admin@lab.example.com"


def _api(base_url: str, email: str) -> httpx.Client:
    token = httpx.post(f"{base_url}/api/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    return httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token.json()['access_token']}"}, timeout=30
    )


def _reported_booking(base_url: str) -> tuple[int, int, str]:
    """A STEP-RISE booking taken through the API to its certificate: (booking, run, certificate number)."""
    with _api(base_url, HANBIT) as customer, _api(base_url, ENGINEER) as engineer, _api(base_url, REVIEWER) as rev:
        body = {"method": "STEP-RISE", "samples": [{"label": "S-1"}], "start": "earliest"}
        booking = customer.post("/api/bookings", json=body).json()
        booking_id, sample = booking["id"], booking["samples"][0]["id"]
        customer.post(f"/api/bookings/{booking_id}/confirm").raise_for_status()
        receipt = {"samples": [{"sample_id": sample, "condition": "양호"}]}
        engineer.post(f"/api/bookings/{booking_id}/receive", json=receipt).raise_for_status()
        run = engineer.post(
            "/api/runs", json={"booking": booking_id, "sample": sample, "early": {"reason": "every page, now"}}
        ).json()["id"]
        deadline = time.monotonic() + 120
        while engineer.get(f"/api/runs/{run}").json()["status"] != "completed" and time.monotonic() < deadline:
            time.sleep(0.2)
        engineer.post("/api/reviews", json={"booking": booking_id}).raise_for_status()
        number = rev.post("/api/certificates", json={"booking": booking_id, "runs": [run]}).json()["number"]
    return booking_id, run, number


@pytest.fixture(scope="module")
def reported(demo: Served) -> tuple[int, int, str]:
    return _reported_booking(demo.base_url)


def _pages(booking: int, run: int, number: str) -> dict[str | None, list[str]]:
    return {
        None: [
            "/",
            "/methods",
            "/methods/DIODE-IV",
            "/sign-in",
            "/sign-in?registered=true",
            "/register",
            "/verify",
            f"/verify?number={number}",
        ],
        HANBIT: [
            "/bookings",
            "/account",
            "/bookings/new?method=DIODE-IV",
            f"/bookings/{booking}",
            f"/runs/{run}",
            "/certificates",
            f"/certificates/{number}",
        ],
        ENGINEER: ["/schedule", "/runs", f"/runs/{run}", "/equipment", f"/bookings/{booking}"],
        REVIEWER: ["/reviews", f"/reviews/{booking}", "/certificates", f"/certificates/{number}"],
        ADMIN: [
            "/admin/users",
            "/admin/equipment",
            "/admin/equipment/SMU-01",
            "/admin/methods",
            "/admin/methods/new",
            "/admin/plan",
        ],
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_is_clean_and_accessible(
    chromium: Browser, demo: Served, reported: tuple[int, int, str], viewport: dict[str, int]
) -> None:
    checked = []
    for who, paths in _pages(*reported).items():
        visit = open_visit(chromium, demo.base_url, viewport)  # type: ignore[arg-type]
        if who is not None:
            visit.sign_in(who)
        for path in paths:
            visit.open(path)
            assert visit.page.locator("h1").count() == 1, f"{path} has no single heading"
            visit.check()
            checked.append(path)
        visit.page.context.close()

    assert len(checked) == sum(len(p) for p in _pages(*reported).values())


def _booked_instrument_time(base_url: str) -> tuple[str, datetime]:
    """A DIODE-IV booking at the earliest free slot, taken through the API: its first instrument and start."""
    with _api(base_url, HANBIT) as customer:
        body = {"method": "DIODE-IV", "samples": [{"label": "S-1"}], "start": "earliest"}
        reservation = customer.post("/api/bookings", json=body).json()["reservations"][0]
    return reservation["instrument"], datetime.fromisoformat(reservation["starts_at"])


def _block_over(visit: Visit, asset_tag: str, start: datetime) -> None:
    """On the instrument's admin page, block the hour from ``start`` for a repair, as the lab manager types it."""
    page = visit.page
    visit.open(f"/admin/equipment/{asset_tag}")
    downtime = page.get_by_role("region", name="점검과 수리")
    begins = start.astimezone(ZoneInfo("Asia/Seoul"))
    ends = begins + timedelta(hours=1)
    downtime.get_by_label("종류").select_option("repair")
    downtime.get_by_label("시작 날짜").fill(begins.date().isoformat())
    downtime.get_by_label("시작 시각").fill(begins.strftime("%H:%M"))
    downtime.get_by_label("종료 날짜").fill(ends.date().isoformat())
    downtime.get_by_label("종료 시각").fill(ends.strftime("%H:%M"))
    downtime.get_by_label("사유").fill("출력 릴레이 교체")
    downtime.get_by_role("button", name="사용 중지 기간 추가").click()
    page.wait_for_url(re.compile(r"\?added=\d+"))
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_block_over_booked_work_is_clean_and_accessible_and_links_to_the_planner(
    chromium: Browser, demo: Served, viewport: dict[str, int]
) -> None:
    asset_tag, start = _booked_instrument_time(demo.base_url)
    visit = open_visit(chromium, demo.base_url, viewport)  # type: ignore[arg-type]
    visit.sign_in(ADMIN)

    _block_over(visit, asset_tag, start)

    assert visit.page.get_by_role("link", name=re.compile("주 계획하기")).count() >= 1
    visit.check()
    visit.page.context.close()
