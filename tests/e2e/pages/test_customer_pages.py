"""A customer in a real browser: a refused booking offers the next free slot, another company's page is not there,
and a form without its CSRF token changes nothing."""

from __future__ import annotations

import httpx

from labsys.demo import DEMO_PASSWORD
from tests.e2e.pages.conftest import Visit

HANBIT = "minjun.kim@hanbit.example.com"
DAEHAN = "seoyeon.lee@daehan.example.com"


def _token(base_url: str, email: str) -> dict[str, str]:
    response = httpx.post(f"{base_url}/api/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _booking_of(base_url: str, email: str) -> dict[str, object]:
    """A booking of DIODE-IV at its earliest free slot, made through the API by ``email``."""
    body = {"method": "DIODE-IV", "samples": [{"label": "D-1"}], "start": "earliest"}
    response = httpx.post(f"{base_url}/api/bookings", json=body, headers=_token(base_url, email))
    assert response.status_code == 201, response.text
    booking: dict[str, object] = response.json()
    return booking


def test_a_slot_taken_meanwhile_is_refused_with_its_rule_and_the_next_free_slot_as_a_button(visit: Visit) -> None:
    visit.sign_in(HANBIT)
    visit.open("/bookings/new?method=DIODE-IV")
    first = visit.page.locator("#slot-calendar input[name=start]:not([value=earliest])").first
    chosen = first.get_attribute("value")
    first.check()
    visit.page.get_by_label("시료 표시").first.fill("D-7")
    taken = httpx.post(  # another company takes that slot while the form is open
        f"{visit.base_url}/api/bookings",
        json={"method": "DIODE-IV", "samples": [{"label": "X"}], "start": chosen},
        headers=_token(visit.base_url, DAEHAN),
    )
    assert taken.status_code == 201, taken.text

    visit.page.get_by_role("button", name="예약 신청하고 견적 보기").click()
    visit.page.wait_for_load_state("networkidle")

    refusal = visit.page.get_by_role("alert").filter(has_text="방금")
    assert refusal.is_visible()
    visit.check()
    next_slot = visit.page.get_by_role("button", name="다음 가능 일시로 예약")
    next_slot.click()
    visit.page.wait_for_load_state("networkidle")
    assert "/bookings/" in visit.page.url
    assert visit.page.get_by_role("button", name="예약 확정").is_visible()
    visit.check()


def test_another_companys_booking_page_is_not_found(visit: Visit) -> None:
    theirs = _booking_of(visit.base_url, DAEHAN)
    visit.sign_in(HANBIT)

    response = visit.page.goto(f"{visit.base_url}/bookings/{theirs['id']}")

    assert response is not None
    assert response.status == 404
    assert "찾을 수 없습니다" in visit.page.locator("h1").inner_text()
    assert DAEHAN not in visit.page.content()
    visit.check()


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(visit: Visit) -> None:
    mine = _booking_of(visit.base_url, HANBIT)
    visit.sign_in(HANBIT)
    visit.open(f"/bookings/{mine['id']}")

    visit.page.evaluate("document.querySelectorAll('input[name=_csrf_token]').forEach(i => i.remove())")
    with visit.page.expect_response(lambda r: r.url.endswith("/confirm")) as answered:
        visit.page.get_by_role("button", name="예약 확정").click()
    visit.page.wait_for_load_state("networkidle")

    assert answered.value.status == 403
    assert visit.page.locator("h1").inner_text() == "이 작업을 할 권한이 없습니다"
    booking = httpx.get(f"{visit.base_url}/api/bookings/{mine['id']}", headers=_token(visit.base_url, HANBIT))
    assert booking.json()["status"] == "quoted"
