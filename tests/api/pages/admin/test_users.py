"""The admin's users page: everyone who signs in, adding a user, qualifications, and lifting a sign-in lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from labsys.companies.models import Role, SignInFailure, User
from tests.api.pages.admin.conftest import HTML, Login, SignInPage, error_next_to, post_form
from tests.api.pages.conftest import Client
from tests.factories import PASSWORD, Lab, make_user

pytestmark = pytest.mark.integration

NEW_USER = {"name": "Park Jiwoo", "email": "jiwoo.park@lab.example.com", "role": "reviewer", "password": PASSWORD}


def _users(client: Client, login: Login, admin: User, role: str | None = None) -> dict[str, dict[str, object]]:
    params = {"role": role} if role else {}
    found = client.get("/api/users", params=params, headers=login(admin)).json()["data"]
    return {u["email"]: u for u in found}


def test_the_admin_sees_every_user_with_role_company_and_qualifications(client: Client, admin_signed_in: Lab) -> None:
    lab = admin_signed_in

    response = client.get("/admin/users")

    assert response.status_code == 200
    assert "<h1>사용자</h1>" in response.text
    for user in (lab.customer, lab.other_customer, lab.engineer, lab.admin):
        assert user.email in response.text
    assert lab.company.name in response.text
    assert "시험원" in response.text  # the engineer's role, in Korean
    assert "<code>smu</code>" in response.text  # the engineer's qualifications
    assert 'href="/admin/equipment"' in response.text  # the admin's navigation
    assert 'href="/admin/methods"' in response.text


def test_adding_a_user_takes_the_admin_to_their_page(client: Client, admin_signed_in: Lab, login: Login) -> None:
    response = post_form(client, "/admin/users", "/admin/users", NEW_USER)

    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Park Jiwoo" in page.text
    assert "검토자" in page.text
    assert _users(client, login, admin_signed_in.admin)["jiwoo.park@lab.example.com"]["role"] == "reviewer"


def test_a_new_customer_user_joins_the_chosen_company(client: Client, admin_signed_in: Lab, login: Login) -> None:
    lab = admin_signed_in
    data = {**NEW_USER, "role": "customer", "email": "buyer@hanbit.example.com", "company_id": str(lab.company.id)}

    response = post_form(client, "/admin/users", "/admin/users", data)

    assert response.status_code == 303
    assert _users(client, login, lab.admin, "customer")["buyer@hanbit.example.com"]["company_id"] == lab.company.id


def test_a_taken_email_is_refused_next_to_the_field_and_nothing_is_stored(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    lab = admin_signed_in
    before = _users(client, login, lab.admin)

    response = post_form(client, "/admin/users", "/admin/users", {**NEW_USER, "email": lab.engineer.email.upper()})

    assert response.status_code == 422
    assert error_next_to(response.text, "email") == "이 이메일을 쓰는 사용자가 이미 있습니다."
    assert 'value="Park Jiwoo"' in response.text  # what was typed is kept
    assert PASSWORD not in response.text  # but never the password
    assert _users(client, login, lab.admin) == before


def test_a_short_password_and_a_customer_without_company_are_said_next_to_their_fields(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    short = post_form(client, "/admin/users", "/admin/users", {**NEW_USER, "password": "short"})
    homeless = post_form(client, "/admin/users", "/admin/users", {**NEW_USER, "role": "customer"})

    assert short.status_code == 422
    assert error_next_to(short.text, "password") == "10자 이상 입력하세요."
    assert homeless.status_code == 422
    assert "회사를 선택하세요" in error_next_to(homeless.text, "company_id")
    assert "jiwoo.park@lab.example.com" not in _users(client, login, admin_signed_in.admin)


def test_an_engineers_qualifications_are_set_on_their_page_and_read_back_by_the_api(
    client: Client, admin_signed_in: Lab, login: Login
) -> None:
    lab = admin_signed_in
    page = f"/admin/users/{lab.engineer.id}"
    assert 'value="lcr"' in client.get(page).text  # the lab's instrument kinds, as checkboxes

    response = post_form(client, page, f"{page}/qualifications", {"qualifications": ["smu", "scope"]})

    assert response.status_code == 303
    assert response.headers["location"] == page
    assert _users(client, login, lab.admin, "engineer")[lab.engineer.email]["qualifications"] == ["scope", "smu"]


def test_a_reviewers_qualifications_are_method_codes_saved_in_place_with_htmx(
    client: Client, admin_signed_in: Lab, login: Login, session: Session
) -> None:
    lab = admin_signed_in
    reviewer = make_user(session, Role.REVIEWER)
    page = f"/admin/users/{reviewer.id}"
    assert lab.methods["DIODE-IV"].title in client.get(page).text

    ticked = {"qualifications": "DIODE-IV"}
    response = post_form(client, page, f"{page}/qualifications", ticked, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text  # the section's content only
    assert "자격을 저장했습니다" in response.text
    assert 'value="DIODE-IV" checked' in response.text
    assert _users(client, login, lab.admin, "reviewer")[reviewer.email]["qualifications"] == ["DIODE-IV"]


def test_ticking_nothing_clears_the_qualifications(client: Client, admin_signed_in: Lab, login: Login) -> None:
    lab = admin_signed_in
    page = f"/admin/users/{lab.engineer.id}"

    post_form(client, page, f"{page}/qualifications", {})

    assert _users(client, login, lab.admin, "engineer")[lab.engineer.email]["qualifications"] == []


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.ENGINEER])
def test_only_the_admin_may_open_the_admin_pages(
    client: Client, lab: Lab, sign_in_page: SignInPage, role: Role
) -> None:
    sign_in_page(lab.customer if role is Role.CUSTOMER else lab.engineer)

    for path in ("/admin/users", f"/admin/users/{lab.engineer.id}", "/admin/equipment", "/admin/methods/DIODE-IV"):
        response = client.get(path, headers=HTML)
        assert response.status_code == 403, path
        assert "이 작업을 할 권한이 없습니다" in response.text


def test_an_engineer_cannot_post_the_admin_forms(
    client: Client, lab: Lab, sign_in_page: SignInPage, login: Login
) -> None:
    sign_in_page(lab.engineer)
    page = f"/admin/users/{lab.engineer.id}"

    response = post_form(client, "/", f"{page}/qualifications", {"qualifications": ["smu"]})

    assert response.status_code == 403
    engineer = _users(client, login, lab.admin, "engineer")[lab.engineer.email]
    assert engineer["qualifications"] == lab.engineer.qualifications


def test_a_user_form_without_its_csrf_token_is_refused(client: Client, admin_signed_in: Lab, login: Login) -> None:
    client.get("/admin/users")

    response = client.post("/admin/users", data=NEW_USER, headers=HTML)

    assert response.status_code == 403
    assert "jiwoo.park@lab.example.com" not in _users(client, login, admin_signed_in.admin)


def test_someone_signed_out_is_sent_to_sign_in_and_back(client: Client, lab: Lab) -> None:
    response = client.get("/admin/users", headers=HTML, follow_redirects=False)

    assert response.headers["location"] == "/sign-in?next=/admin/users"


def test_a_password_easy_to_guess_is_refused_next_to_its_field(client: Client, admin_signed_in: Lab) -> None:
    weak = post_form(client, "/admin/users", "/admin/users", {**NEW_USER, "password": "aaaaaaaaaa"})

    assert weak.status_code == 422
    assert error_next_to(weak.text, "password").startswith("이 비밀번호는 너무 쉽게 추측됩니다")


def test_a_locked_user_is_marked_and_the_admin_unlocks_them_on_their_page(
    client: Client, admin_signed_in: Lab, session: Session
) -> None:
    lab = admin_signed_in
    at = datetime.now(UTC)
    session.add_all(
        SignInFailure(email=lab.customer.email, address=f"192.0.2.{n % 5}", failed_at=at - timedelta(seconds=n))
        for n in range(50)
    )
    session.commit()
    assert "까지 잠김" in client.get("/admin/users").text
    page = f"/admin/users/{lab.customer.id}"
    assert "로그인 잠금 해제" in client.get(page).text

    unlocked = post_form(client, page, f"{page}/unlock", {})

    assert unlocked.status_code == 303
    assert unlocked.headers["location"] == page
    assert "잠기지 않음" in client.get(page).text
    assert "까지 잠김" not in client.get("/admin/users").text
