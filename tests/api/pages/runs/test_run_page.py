"""A run's page: status, progress, parameters, abort for engineers, results once ended; another company's: 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from labsys.companies.models import Role, User
from labsys.settings import Settings
from tests.api.pages.conftest import Client
from tests.api.pages.engineers.booked import Login, post_form
from tests.api.pages.runs.conftest import claim, complete, queue, report
from tests.factories import make_company, make_user
from tests.labsys.runs.conftest import ReadyBooking

pytestmark = pytest.mark.integration

SignIn = Callable[[User], None]
HTML = {"Accept": "text/html"}


def test_an_engineer_follows_a_running_run_with_its_progress_parameters_and_the_abort_button(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    claim(session, run_id)
    report(session, run_id, 42.0)
    sign_in_page(ready.engineer)

    response = client.get(f"/runs/{run_id}")

    assert response.status_code == 200
    html = response.text
    assert '<progress id="run-progress" max="100" value="42.0">' in html
    assert '<span id="run-progress-text" class="figure">42 %</span>' in html
    assert '<span id="run-status" class="status status-running">' in html
    assert ">중단</button>" in html
    assert f'data-live="/runs/{run_id}/events"' in html
    assert f'data-preview="/runs/{run_id}/preview"' in html
    assert "제한 전류" in html  # a parameter
    assert "SMU-station-1" in html  # its instrument
    assert "S-1" in html  # its sample


def test_a_customer_of_the_company_sees_the_run_but_no_abort_button(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    sign_in_page(ready.customer)

    response = client.get(f"/runs/{run_id}")

    assert response.status_code == 200
    assert 'id="run-status"' in response.text
    assert ">중단</button>" not in response.text


def test_another_companys_customer_finds_no_such_run(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    _, stranger = make_company(session)
    sign_in_page(stranger)

    for path in ("", "/outcome", "/preview", "/data", "/events"):
        assert client.get(f"/runs/{run_id}{path}", headers=HTML).status_code == 404, path


def test_a_customer_cannot_abort_a_run(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    sign_in_page(ready.customer)

    response = post_form(client, f"/runs/{run_id}", {}, action=f"/runs/{run_id}/abort")

    assert response.status_code == 403
    assert client.get(f"/api/runs/{run_id}", headers=login(ready.engineer)).json()["status"] == "queued"


def test_an_engineer_aborts_a_run_from_its_page(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    claim(session, run_id)
    sign_in_page(ready.engineer)

    response = post_form(client, f"/runs/{run_id}", {}, action=f"/runs/{run_id}/abort")

    assert response.status_code == 303
    assert response.headers["location"] == f"/runs/{run_id}"
    run = client.get(f"/api/runs/{run_id}", headers=login(ready.engineer)).json()
    assert run["abort_requested"] is True
    assert run["status"] == "running"  # the station ends it at its procedure's next check


def test_aborting_a_queued_run_ends_it_at_once_and_its_page_says_so(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    sign_in_page(ready.engineer)

    post_form(client, f"/runs/{run_id}", {}, action=f"/runs/{run_id}/abort")
    page = client.get(f"/runs/{run_id}").text

    assert 'class="status status-aborted">중단됨</span>' in page
    assert ">중단</button>" not in page
    assert "data-live" not in page


def test_an_ended_run_shows_its_verdict_results_and_data_download(
    client: Client, session: Session, settings: Settings, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    claim(session, run_id)
    complete(session, settings, run_id)
    sign_in_page(ready.customer)

    page = client.get(f"/runs/{run_id}").text
    fragment = client.get(f"/runs/{run_id}/outcome").text

    for html in (page, fragment):
        assert '<progress id="run-progress" max="100" value="100.0">' in html
        assert "적합" in html  # the verdict
        assert "이상 계수" in html  # the metric, by its name in Korean
        assert "1.05" in html
        assert "± 0.02" in html
        assert f'href="/runs/{run_id}/data"' in html
    assert "data-live" not in page
    assert "<html" not in fragment


def test_the_runs_list_shows_staff_every_run_newest_first(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    first, second = queue(client, login, ready), queue(client, login, ready)
    sign_in_page(make_user(session, Role.REVIEWER))

    html = client.get("/runs").text

    assert html.index(f'href="/runs/{second}"') < html.index(f'href="/runs/{first}"')


def test_a_customer_may_not_list_the_labs_runs(
    client: Client, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    sign_in_page(ready.customer)

    assert client.get("/runs", headers=HTML).status_code == 403


def test_an_abort_without_its_csrf_token_is_refused(
    client: Client, session: Session, ready: ReadyBooking, login: Login, sign_in_page: SignIn
) -> None:
    run_id = queue(client, login, ready)
    sign_in_page(ready.engineer)

    response = client.post(f"/runs/{run_id}/abort", follow_redirects=False)

    assert response.status_code == 403
    assert client.get(f"/api/runs/{run_id}", headers=login(ready.engineer)).json()["status"] == "queued"
