"""The admin's equipment pages: the instruments with their calibration, adding one, recording a calibration and
changing the status, each read back through the API."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from labsys.timeutil import lab_today
from tests.api.pages.admin.conftest import HTML, Login, error_next_to, post_form
from tests.api.pages.conftest import Client
from tests.factories import Lab, make_instrument

pytestmark = pytest.mark.integration

TODAY = lab_today(ZoneInfo("Asia/Seoul"))

NEW_INSTRUMENT = {
    "asset_tag": "SMU-02",
    "kind": "smu",
    "manufacturer": "Keithley",
    "model": "2450",
    "serial": "04512345",
    "resource": "TCPIP0::192.168.10.22::inst0::INSTR",
    "driver": "keithley2450",
    "station": "station-1",
    "setup_buffer_min": "15",
    "calibrated_on": (TODAY - timedelta(days=10)).isoformat(),
    "calibration_due": (TODAY + timedelta(days=355)).isoformat(),
    "calibration_certificate": "KOLAS-C-2026-0412",
}


def _instruments(client: Client, login: Login, lab: Lab) -> dict[str, dict[str, object]]:
    return {i["asset_tag"]: i for i in client.get("/api/instruments", headers=login(lab.admin)).json()["data"]}


def test_the_admin_sees_every_instrument_with_its_calibration(client: Client, admin_signed_in: Lab) -> None:
    response = client.get("/admin/equipment")

    assert response.status_code == 200
    assert "<h1>장비</h1>" in response.text
    for tag in admin_signed_in.instruments:
        assert f'href="/admin/equipment/{tag}"' in response.text
    assert "교정 유효" in response.text


def test_an_overdue_instrument_and_one_due_soon_are_said_in_words(
    client: Client, admin_signed_in: Lab, session: Session
) -> None:
    make_instrument(session, "dmm", "DMM-OLD", calibration_due=TODAY - timedelta(days=3))
    make_instrument(session, "dmm", "DMM-SOON", calibration_due=TODAY + timedelta(days=12))

    html = client.get("/admin/equipment").text

    overdue_row = html[html.index('href="/admin/equipment/DMM-OLD"') :].split("</tr>", 1)[0]
    soon_row = html[html.index('href="/admin/equipment/DMM-SOON"') :].split("</tr>", 1)[0]
    assert "교정 기한 지남" in overdue_row
    assert "오늘 사용 불가" in overdue_row
    assert "30일 이내 교정 예정" in soon_row
    assert "교정 기한이 지난 장비: 1대" in html
    assert "30일 이내 교정 예정 장비: 1대" in html


def test_adding_an_instrument_lists_it_in_the_api(client: Client, admin_signed_in: Lab, login: Login) -> None:
    response = post_form(client, "/admin/equipment", "/admin/equipment", NEW_INSTRUMENT)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/equipment/SMU-02"
    assert "Keithley 2450" in client.get("/admin/equipment/SMU-02").text
    added = _instruments(client, login, admin_signed_in)["SMU-02"]
    assert (added["serial"], added["calibration_state"], added["usable_today"]) == ("04512345", "valid", True)


def test_a_taken_asset_tag_is_refused_next_to_the_field(client: Client, admin_signed_in: Lab, login: Login) -> None:
    response = post_form(client, "/admin/equipment", "/admin/equipment", {**NEW_INSTRUMENT, "asset_tag": "SMU-01"})

    assert response.status_code == 422
    assert error_next_to(response.text, "asset_tag") == "이 자산 번호를 쓰는 장비가 이미 있습니다."
    assert _instruments(client, login, admin_signed_in)["SMU-01"]["serial"] != "04512345"


def test_a_driver_the_catalogue_does_not_know_and_a_bad_resource_are_refused_next_to_them(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    unknown = post_form(client, "/admin/equipment", "/admin/equipment", {**NEW_INSTRUMENT, "driver": "no_such_driver"})
    not_visa = post_form(
        client, "/admin/equipment", "/admin/equipment", {**NEW_INSTRUMENT, "resource": "this is not a VISA resource"}
    )

    assert (unknown.status_code, not_visa.status_code) == (422, 422)
    assert error_next_to(unknown.text, "driver") == "이 종류의 장비에 맞는 그런 드라이버가 드라이버 목록에 없습니다."
    assert error_next_to(not_visa.text, "resource") == (
        "VISA 리소스 문자열이 아닙니다. 예: TCPIP0::192.168.1.20::inst0::INSTR."
    )
    assert "SMU-02" not in _instruments(client, login, admin_signed_in)


def test_missing_fields_are_said_next_to_each(client: Client, admin_signed_in: Lab) -> None:
    data = {k: v for k, v in NEW_INSTRUMENT.items() if k not in {"model", "resource"}}

    response = post_form(client, "/admin/equipment", "/admin/equipment", {**data, "setup_buffer_min": "soon"})

    assert response.status_code == 422
    assert error_next_to(response.text, "model") == "이 항목을 입력하세요."
    assert error_next_to(response.text, "resource") == "이 항목을 입력하세요."
    assert error_next_to(response.text, "setup_buffer_min") == "정수를 입력하세요."


def test_a_calibration_recorded_on_the_page_is_read_back_by_the_api(
    client: Client, admin_signed_in: Lab, login: Login, session: Session
) -> None:
    make_instrument(session, "dmm", "DMM-OLD", calibration_due=TODAY - timedelta(days=3))
    due = TODAY + timedelta(days=365)
    calibration = {"calibrated_on": TODAY.isoformat(), "calibration_due": due.isoformat(), "certificate": "CAL-77"}

    response = post_form(client, "/admin/equipment/DMM-OLD", "/admin/equipment/DMM-OLD/calibrations", calibration)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/equipment/DMM-OLD#standing"  # the calibration as it now stands
    recorded = _instruments(client, login, admin_signed_in)["DMM-OLD"]
    assert (recorded["calibration_due"], recorded["calibration_certificate"]) == (due.isoformat(), "CAL-77")
    assert recorded["calibration_state"] == "valid"


def test_a_due_date_before_the_calibration_is_refused_next_to_it(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    before = _instruments(client, login, admin_signed_in)["DMM-01"]
    calibration = {"calibrated_on": TODAY.isoformat(), "calibration_due": TODAY.isoformat(), "certificate": "CAL-78"}

    response = post_form(client, "/admin/equipment/DMM-01", "/admin/equipment/DMM-01/calibrations", calibration)

    assert response.status_code == 422
    assert error_next_to(response.text, "calibration-calibration_due") == "차기 교정일은 교정일보다 뒤여야 합니다."
    assert _instruments(client, login, admin_signed_in)["DMM-01"] == before


def test_a_calibration_dated_in_the_future_is_refused_next_to_its_date(client: Client, admin_signed_in: Lab) -> None:
    later = TODAY + timedelta(days=2)
    calibration = {
        "calibrated_on": later.isoformat(),
        "calibration_due": (later + timedelta(days=365)).isoformat(),
        "certificate": "CAL-79",
    }

    response = post_form(client, "/admin/equipment/DMM-01", "/admin/equipment/DMM-01/calibrations", calibration)

    assert response.status_code == 422
    assert "미래" in error_next_to(response.text, "calibration-calibrated_on")


def test_a_status_change_with_its_reason_is_read_back_by_the_api(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    change = {"status": "maintenance", "reason": "출력단 고장으로 수리 의뢰"}

    response = post_form(client, "/admin/equipment/SCOPE-01", "/admin/equipment/SCOPE-01/status", change)

    assert response.status_code == 303
    changed = _instruments(client, login, admin_signed_in)["SCOPE-01"]
    assert (changed["status"], changed["status_reason"], changed["usable_today"]) == (
        "maintenance",
        "출력단 고장으로 수리 의뢰",
        False,
    )
    assert "점검 중" in client.get("/admin/equipment/SCOPE-01").text


def test_a_status_change_needs_a_reason_and_a_retired_instrument_stays_retired(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    page, action = "/admin/equipment/AWG-01", "/admin/equipment/AWG-01/status"
    no_reason = post_form(client, page, action, {"status": "maintenance"})
    post_form(client, page, action, {"status": "retired", "reason": "end of life"})

    back = post_form(client, page, action, {"status": "in_service", "reason": "found a spare part"})

    assert no_reason.status_code == 422
    assert error_next_to(no_reason.text, "status-reason") == "이 항목을 입력하세요."
    assert back.status_code == 422
    assert error_next_to(back.text, "status-status") == "폐기된 장비는 다시 사용 상태로 되돌릴 수 없습니다."
    assert _instruments(client, login, admin_signed_in)["AWG-01"]["status"] == "retired"


def test_an_unknown_instrument_is_a_page_that_says_not_found(client: Client, admin_signed_in: Lab) -> None:
    response = client.get("/admin/equipment/NOPE-99", headers=HTML)

    assert response.status_code == 404
    assert "찾을 수 없습니다" in response.text


def test_an_equipment_form_without_its_csrf_token_is_refused(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    client.get("/admin/equipment")

    response = client.post("/admin/equipment", data=NEW_INSTRUMENT, headers=HTML)

    assert response.status_code == 403
    assert "SMU-02" not in _instruments(client, login, admin_signed_in)
