"""An error no rule foresaw: 500 with a request id in the body and the header, and the log line that holds the
traceback under the same id; a person's browser gets a page with it. Errors that HTTP names keep their status."""

from __future__ import annotations

import logging
import re

import pytest
from litestar import Litestar

from api.state import lab_state
from labsys.methods.service import MethodService
from tests.api.conftest import Client

pytestmark = pytest.mark.integration


def _break_the_catalog(app: Litestar, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_self: MethodService) -> None:
        raise RuntimeError("the catalog's disk is gone")

    methods = lab_state(app.state).services.methods
    monkeypatch.setattr(methods, "list_methods", fail.__get__(methods))


def test_an_unforeseen_error_is_500_with_a_request_id_that_the_log_line_and_its_traceback_carry(
    app: Litestar, client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _break_the_catalog(app, monkeypatch)

    with caplog.at_level(logging.ERROR, logger="api.errors"):
        response = client.get("/api/methods")

    assert response.status_code == 500
    body = response.json()
    request_id = body["request_id"]
    assert body == {"status_code": 500, "detail": "internal error", "request_id": request_id}
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert response.headers["X-Request-ID"] == request_id
    [record] = [r for r in caplog.records if request_id in r.getMessage()]
    assert "GET /api/methods" in record.getMessage()
    assert record.exc_info is not None
    assert "the catalog's disk is gone" in caplog.text  # the traceback is in the log
    assert "Traceback" in caplog.text


def test_each_failure_gets_its_own_request_id(
    app: Litestar, client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _break_the_catalog(app, monkeypatch)

    with caplog.at_level(logging.CRITICAL, logger="api.errors"):
        first, second = client.get("/api/methods"), client.get("/api/methods")

    assert first.json()["request_id"] != second.json()["request_id"]


def test_a_browser_is_shown_a_page_with_the_reference(
    app: Litestar, client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _break_the_catalog(app, monkeypatch)

    with caplog.at_level(logging.CRITICAL, logger="api.errors"):
        response = client.get("/methods", headers={"Accept": "text/html"})

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    request_id = response.headers["X-Request-ID"]
    assert f"참조 번호를 시험소에 알려 주십시오: {request_id}" in response.text


def test_an_unknown_path_and_a_wrong_method_keep_their_status(client: Client) -> None:
    assert client.get("/api/no-such-thing").status_code == 404
    wrong = client.delete("/api/methods")
    assert wrong.status_code == 405
    assert "request_id" not in wrong.json()
