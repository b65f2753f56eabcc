"""The limits on checking a PDF without an account: a size cap (413), a rate per client address (429 with
Retry-After), and the check itself run on a worker thread, so that a slow one never holds up other requests."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient

from api.app import create_app
from labsys.db import Database
from labsys.settings import Settings
from results.certificates import SignatureCheck
from tests.api.conftest import Client
from tests.api.servers import running_server

pytestmark = pytest.mark.integration

PDF = {"Content-Type": "application/pdf"}
SMALLEST_CAP = 100_000  # the least LABSYS_VERIFY_UPLOAD_MAX_BYTES allows


@pytest.fixture
def limited(settings: Settings, db: Database) -> Iterator[Client]:
    """The lab's app with a 0.1 MB cap and three checks a minute per address."""
    tight = settings.model_copy(update={"verify_upload_max_bytes": SMALLEST_CAP, "verify_uploads_per_minute": 3})
    with TestClient(create_app(tight, db=db)) as client:
        yield client


def test_a_file_over_the_cap_is_refused_with_413_saying_how_much_is_taken(limited: Client) -> None:
    response = limited.post("/verify/LAB-2026-000001", content=b"%PDF" + b"0" * SMALLEST_CAP, headers=PDF)

    assert response.status_code == 413
    assert response.json()["detail"] == "the request body is larger than 0.1 MB, the most this address takes"
    assert limited.post("/verify/LAB-2026-000001", content=b"%PDF" + b"0" * 1000, headers=PDF).status_code == 200


def test_a_streamed_file_over_the_cap_is_refused_without_a_length_announced(limited: Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(SMALLEST_CAP // 4096 + 2):
            yield b"0" * 4096

    response = limited.post("/verify/LAB-2026-000001", content=chunks(), headers=PDF)

    assert response.status_code == 413


def test_the_pages_form_refuses_a_large_file_with_a_page_in_korean(limited: Client) -> None:
    files = {"pdf": ("report.pdf", b"%PDF" + b"0" * SMALLEST_CAP, "application/pdf")}

    response = limited.post("/verify", data={"number": "LAB-2026-000001"}, files=files, headers={"Accept": "text/html"})

    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "파일이 너무 큽니다" in response.text


def test_an_address_that_checks_too_often_gets_429_with_retry_after_while_reading_still_works(
    limited: Client,
) -> None:
    answers = [limited.post("/verify/LAB-2026-000001", content=b"%PDF-1.7", headers=PDF) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]

    refused = limited.post("/verify/LAB-2026-000001", content=b"%PDF-1.7", headers=PDF)
    form = limited.post("/verify", data={"number": "LAB-2026-000001", "code": "X"}, headers={"Accept": "text/html"})

    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert refused.json()["detail"] == (
        f"too many requests from your address: try again in {refused.headers['retry-after']} seconds"
    )
    assert form.status_code == 429  # the page's form draws on the same allowance
    assert "같은 주소에서 확인 요청이 너무 많습니다" in form.text
    assert "retry-after" in form.headers
    assert limited.get("/verify/LAB-2026-000001", params={"code": "X"}).status_code == 404  # reading is not counted
    assert limited.get("/verify").status_code == 200


def test_a_slow_check_runs_on_a_worker_thread_and_other_requests_are_answered_meanwhile(
    settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started, release = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def slow_check(pdf: bytes, trust_roots: list[Path]) -> SignatureCheck:
        seen["thread"] = threading.current_thread()
        try:
            asyncio.get_running_loop()
            seen["loop"] = True
        except RuntimeError:
            seen["loop"] = False
        started.set()
        release.wait(timeout=10)
        return SignatureCheck(signed=False, intact=False, valid=False, trusted=False, covers_whole_file=False)

    monkeypatch.setattr("labsys.certificates.service.check_signature", slow_check)
    with running_server(create_app(settings, db=db)) as url, ThreadPoolExecutor(max_workers=1) as pool:
        upload = pool.submit(httpx.post, f"{url}/verify/LAB-2026-000001", content=b"%PDF-1.7", headers=PDF, timeout=20)
        assert started.wait(timeout=10), "the check never started"
        began = time.monotonic()
        health = httpx.get(f"{url}/api/health", timeout=5)
        page = httpx.get(f"{url}/verify", timeout=5)
        answered_in = time.monotonic() - began
        assert not upload.done()  # the check is still running ...
        release.set()
        checked = upload.result(timeout=10)

    assert (health.status_code, page.status_code) == (200, 200)  # ... and other requests were answered meanwhile
    assert answered_in < 2
    assert checked.status_code == 200
    assert seen["thread"] is not threading.main_thread()
    assert seen["loop"] is False  # not on the server's event loop
