"""The admin's test methods: the catalog, a page per method, and adding one with its parts written as JSON."""

from __future__ import annotations

import json

import pytest

from tests.api.pages.admin.conftest import HTML, error_next_to, post_form
from tests.api.pages.conftest import Client
from tests.factories import Lab

pytestmark = pytest.mark.integration

NEW_METHOD = {
    "code": "LED-IV",
    "title": "LED forward voltage",
    "standard": "IEC 60747-5-1, forward voltage",
    "procedure": "diode_iv",
    "instrument_kinds": "smu",
    "decision_rule": "simple",
    "duration_min": "45",
    "turnaround_days": "5",
    "fee_krw": "120000",
    "parameters": json.dumps(
        [
            {"name": "start_voltage", "unit": "V", "default": 1.5, "minimum": 0, "maximum": 4},
            {"name": "stop_voltage", "unit": "V", "default": 3.5, "minimum": 0, "maximum": 4},
        ]
    ),
    "spec_limits": json.dumps([{"metric": "ideality_factor", "unit": "", "lower": 1.0, "upper": 3.0}]),
    "uncertainty": "[]",
}


def test_the_admin_sees_the_catalog_with_versions_fees_and_turnaround(client: Client, admin_signed_in: Lab) -> None:
    response = client.get("/admin/methods")

    assert response.status_code == 200
    assert "<h1>시험 방법</h1>" in response.text
    for method in admin_signed_in.methods.values():
        assert f'href="/admin/methods/{method.code}"' in response.text
        assert f"{method.fee_krw:,}원" in response.text
    assert "제공 중" in response.text


def test_a_method_page_shows_its_parameters_and_spec_limits(client: Client, admin_signed_in: Lab) -> None:
    response = client.get("/admin/methods/DIODE-IV")

    assert response.status_code == 200
    assert '<code class="muted">compliance_current</code>' in response.text
    assert '<code class="muted">series_resistance</code>' in response.text
    assert "diode_iv" in response.text
    assert "보호대역 적용 (ILAC-G8)" in response.text


def test_adding_a_method_puts_it_in_the_catalog(client: Client, admin_signed_in: Lab) -> None:
    response = post_form(client, "/admin/methods/new", "/admin/methods", NEW_METHOD)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/methods/LED-IV"
    added = client.get("/api/methods/LED-IV").json()
    assert (added["title"], added["fee_krw"], added["turnaround_days"]) == ("LED forward voltage", 120000, 5)
    assert [p["name"] for p in added["parameters"]] == ["start_voltage", "stop_voltage"]
    assert added["spec_limits"][0]["upper"] == 3.0
    assert "start_voltage" in client.get("/admin/methods/LED-IV").text


def test_parameters_that_are_not_json_are_refused_next_to_the_field_and_nothing_is_added(
    client: Client, admin_signed_in: Lab
) -> None:
    response = post_form(
        client, "/admin/methods/new", "/admin/methods", {**NEW_METHOD, "parameters": '[{"name": "start_voltage",]'}
    )

    assert response.status_code == 422
    assert "올바른 JSON이 아닙니다" in error_next_to(response.text, "parameters")
    assert "[{&#34;name&#34;: &#34;start_voltage&#34;,]</textarea>" in response.text  # kept, to be mended
    assert client.get("/api/methods/LED-IV").status_code == 404


def test_a_parameter_whose_default_lies_outside_its_range_is_refused_next_to_the_field(
    client: Client, admin_signed_in: Lab
) -> None:
    parameters = json.dumps([{"name": "start_voltage", "unit": "V", "default": 9, "minimum": 0, "maximum": 4}])

    response = post_form(client, "/admin/methods/new", "/admin/methods", {**NEW_METHOD, "parameters": parameters})

    assert response.status_code == 422
    assert error_next_to(response.text, "parameters").startswith("1번째 항목:")
    assert client.get("/api/methods/LED-IV").status_code == 404


def test_a_bad_code_a_taken_code_and_a_missing_kind_are_said_next_to_their_fields(
    client: Client, admin_signed_in: Lab
) -> None:
    mistyped = {**NEW_METHOD, "code": "led iv", "instrument_kinds": ""}
    bad = post_form(client, "/admin/methods/new", "/admin/methods", mistyped)
    taken = post_form(client, "/admin/methods/new", "/admin/methods", {**NEW_METHOD, "code": "DIODE-IV"})

    assert bad.status_code == 422
    assert error_next_to(bad.text, "code") == "영문 대문자, 숫자, 하이픈(-)만 쓰세요."
    assert error_next_to(bad.text, "instrument_kinds") == "1개 이상 입력하세요."
    assert taken.status_code == 422
    assert error_next_to(taken.text, "code") == "이 코드를 쓰는 시험 방법이 이미 있습니다."
    assert client.get("/api/methods/DIODE-IV").json()["title"] == admin_signed_in.methods["DIODE-IV"].title


def test_a_method_form_without_its_csrf_token_is_refused(client: Client, admin_signed_in: Lab) -> None:
    client.get("/admin/methods/new")

    response = client.post("/admin/methods", data=NEW_METHOD, headers=HTML)

    assert response.status_code == 403
    assert client.get("/api/methods/LED-IV").status_code == 404


def test_an_unknown_method_is_a_page_that_says_not_found(client: Client, admin_signed_in: Lab) -> None:
    response = client.get("/admin/methods/NOPE", headers=HTML)

    assert response.status_code == 404
    assert "찾을 수 없습니다" in response.text


def test_a_method_costing_three_billion_won_is_added_and_one_past_the_bound_is_refused_next_to_the_fee(
    client: Client, admin_signed_in: Lab
) -> None:
    big = post_form(client, "/admin/methods/new", "/admin/methods", {**NEW_METHOD, "fee_krw": "3000000000"})
    beyond = {**NEW_METHOD, "code": "LED-IV-2", "fee_krw": str(2**53)}
    refused = post_form(client, "/admin/methods/new", "/admin/methods", beyond)

    assert big.status_code == 303
    assert client.get("/api/methods/LED-IV").json()["fee_krw"] == 3_000_000_000
    assert "3,000,000,000원" in client.get("/admin/methods").text
    assert refused.status_code == 422
    assert error_next_to(refused.text, "fee_krw") == "9007199254740991 이하로 입력하세요."
    assert client.get("/api/methods/LED-IV-2").status_code == 404
