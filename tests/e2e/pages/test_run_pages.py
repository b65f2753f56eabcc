"""An engineer aborts a run from its page, in a real browser: the run ends aborted, its data so far kept."""

from __future__ import annotations

import re

import httpx

from labsys.demo import DEMO_PASSWORD
from tests.e2e.pages.conftest import Visit
from tests.e2e.pages.journey import ENGINEER, start_before_the_slot

HANBIT = "minjun.kim@hanbit.example.com"


def _api(base_url: str, email: str) -> httpx.Client:
    token = httpx.post(f"{base_url}/api/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token.json()['access_token']}"})


def _received_booking(base_url: str, method: str = "DIODE-IV") -> int:
    """A booking of ``method``, confirmed and its sample received, through the API."""
    with _api(base_url, HANBIT) as customer, _api(base_url, ENGINEER) as engineer:
        booking = customer.post(
            "/api/bookings", json={"method": method, "samples": [{"label": "D-9"}], "start": "earliest"}
        ).json()
        assert customer.post(f"/api/bookings/{booking['id']}/confirm").status_code == 200
        receipt = {"samples": [{"sample_id": booking["samples"][0]["id"], "condition": "양호"}]}
        assert engineer.post(f"/api/bookings/{booking['id']}/receive", json=receipt).status_code == 200
    return int(booking["id"])


def test_an_engineer_aborts_a_long_capture_from_its_page(visit: Visit) -> None:
    booking = _received_booking(visit.base_url, "STEP-RISE")
    visit.sign_in(ENGINEER)
    visit.open(f"/bookings/{booking}/runs/new")
    # a long capture: 100 records at the scope's full depth take tens of seconds, time to press the button
    visit.page.get_by_label("기록 점 수").fill("4000000")
    visit.page.get_by_label("기록 횟수").fill("100")
    start_before_the_slot(visit)
    visit.page.get_by_role("button", name="시험 시작").click()
    visit.page.wait_for_url(re.compile(r"/runs/\d+$"))
    run = int(visit.page.url.rsplit("/", 1)[1])
    visit.page.wait_for_function("Number(document.getElementById('run-progress').value) > 0", timeout=60_000)

    visit.page.get_by_role("button", name="중단").click()
    visit.page.wait_for_function(
        "document.getElementById('run-status').textContent.trim() === '중단됨'", timeout=60_000
    )

    assert float(visit.page.locator("#run-progress").get_attribute("value") or 0) < 100
    with _api(visit.base_url, ENGINEER) as engineer:
        stored = engineer.get(f"/api/runs/{run}").json()
        assert stored["status"] == "aborted"
        data = engineer.get(f"/api/runs/{run}/data")
    assert data.status_code == 200
    assert data.content[:8] == b"\x89HDF\r\n\x1a\n"  # the data so far, in a file HDF5 tools open
    visit.check()
