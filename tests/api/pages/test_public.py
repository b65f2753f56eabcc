"""The public pages: Korean first, English on request, the catalog's fees in won, errors as pages."""

from __future__ import annotations

from labsys.audit import Actor
from labsys.methods.models import TestMethodCreate
from labsys.services import LabServices
from tests.api.pages.conftest import Client
from tests.factories import Lab

HTML = {"Accept": "text/html"}


def test_the_start_page_speaks_korean_to_a_visitor(client: Client, lab: Lab) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="ko">' in response.text
    assert "시험 예약" in response.text
    assert 'href="/sign-in"' in response.text


def test_the_catalog_shows_each_method_with_its_fee_in_won(client: Client, lab: Lab) -> None:
    response = client.get("/methods")

    assert response.status_code == 200
    for method in lab.methods.values():
        assert f'href="/methods/{method.code}"' in response.text
        assert f"{method.fee_krw:,}원" in response.text


def test_a_method_page_shows_its_parameters_and_limits(client: Client, lab: Lab) -> None:
    method = lab.methods["DIODE-IV"]

    response = client.get(f"/methods/{method.code}")

    assert response.status_code == 200
    assert method.title in response.text
    assert "측정 항목과 판정 기준" in response.text
    assert "제한 전류" in response.text  # the compliance current, a parameter the engineer sets


def test_choosing_english_lasts_and_returns_to_the_page(client: Client, lab: Lab) -> None:
    response = client.get("/language/en?next=/methods", follow_redirects=False)

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/methods"
    page = client.get("/methods")
    assert '<html lang="en">' in page.text
    assert "Test catalog" in page.text
    assert "KRW 180,000" in page.text


def test_a_language_switch_never_sends_the_person_to_another_site(client: Client, lab: Lab) -> None:
    response = client.get("/language/en?next=//evil.example/", follow_redirects=False)

    assert response.headers["location"] == "/"


def test_an_unknown_method_is_a_page_saying_so(client: Client, lab: Lab) -> None:
    response = client.get("/methods/NO-SUCH", headers=HTML)

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "찾을 수 없습니다" in response.text
    assert "NO-SUCH" in response.text


def test_the_api_still_answers_json_to_a_program(client: Client, lab: Lab) -> None:
    response = client.get("/api/methods/NO-SUCH", headers=HTML)

    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_method_whose_uncertainty_is_coarse_for_its_limits_says_so(
    client: Client, lab: Lab, services: LabServices
) -> None:
    method = lab.methods["RES-4W-TCR"]
    coarse = TestMethodCreate.model_validate(
        {
            **TestMethodCreate.model_validate(method.model_dump()).model_dump(),
            "code": "RES-COARSE",
            "uncertainty": [{"metric": "resistance_at_reference", "unit": "ohm", "expanded": 1.5, "k": 2.0}],
        }
    )
    services.methods.add_method(coarse, by=Actor("admin@lab.example.com"))

    fine = client.get(f"/methods/{method.code}")
    flagged = client.get("/methods/RES-COARSE")

    assert "4분의 1을 넘습니다" not in fine.text
    assert "기준 온도 저항의 시험소 측정 불확도가 허용 범위의 4분의 1을 넘습니다" in flagged.text
