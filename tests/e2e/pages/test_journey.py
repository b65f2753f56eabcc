"""A test's whole journey through the pages only, in a real browser: a new company registers and books, the
engineer receives the sample and runs it live, the reviewer issues the certificate, the customer downloads the
signed PDF and the run file, and a visitor verifies the PDF."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import h5py
from playwright.sync_api import Browser

from tests.e2e.pages.conftest import Visit, open_visit
from tests.e2e.pages.journey import ENGINEER, REVIEWER, approve, book_earliest, download, receive_and_start, register
from tests.e2e.serving import Served

RUN_TIMEOUT_S = 120.0


def _follow_live(visit: Visit) -> list[float]:
    """Watch the run page without reloading it until the run ends; every progress value it showed."""
    page = visit.page
    page.evaluate("window.stayedOnThePage = true")
    shown: list[float] = []
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        value = float(page.locator("#run-progress").get_attribute("value") or 0)
        if not shown or shown[-1] != value:
            shown.append(value)
        if page.locator("figure.plot").get_attribute("data-ended") == "true":
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.stayedOnThePage === true"), "the run page reloaded"
    return shown


def test_a_new_company_books_the_lab_tests_reviews_and_anyone_verifies_the_report_through_the_pages(
    chromium: Browser, demo: Served, tmp_path: Path
) -> None:
    customer = open_visit(chromium, demo.base_url)
    engineer = open_visit(chromium, demo.base_url)
    reviewer = open_visit(chromium, demo.base_url)
    visitor = open_visit(chromium, demo.base_url)

    company = register(customer, 1)
    customer.check()
    booking = book_earliest(customer, "STEP-RISE")
    assert customer.page.locator("[aria-current=step]").inner_text().startswith("확정됨")
    customer.check()

    engineer.sign_in(ENGINEER)
    run = receive_and_start(engineer, booking)
    shown = _follow_live(engineer)
    assert shown[-1] == 100.0
    assert len(shown) >= 2, f"the progress never moved on the page: {shown}"
    assert engineer.page.locator("#run-status").inner_text() == "완료됨"
    assert int(engineer.page.locator("figure.plot").get_attribute("data-points") or 0) > 0
    assert engineer.page.locator("figure.plot canvas").count() >= 1
    engineer.check()
    engineer.open(f"/bookings/{booking}")
    engineer.page.get_by_role("button", name="검토 요청").click()
    engineer.page.wait_for_load_state("networkidle")

    reviewer.sign_in(REVIEWER)
    number = approve(reviewer, booking)
    reviewer.check()

    customer.open(f"/bookings/{booking}")
    assert company.name in customer.page.content()
    pdf = download(customer, f"/certificates/{number}/pdf", tmp_path)
    signature = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True, check=False)
    assert "Signature is Valid" in signature.stdout, signature.stdout + signature.stderr
    data = download(customer, f"/runs/{run}/data", tmp_path)
    with h5py.File(data, "r") as run_file:
        assert run_file["entry/method_code"].asstr()[()] == "STEP-RISE"
        assert run_file["entry/run_id"].asstr()[()] == str(run)
    customer.check()

    visitor.open("/verify")
    visitor.page.get_by_label("성적서 번호").fill(number)
    visitor.page.get_by_label("성적서 PDF 파일").set_input_files(pdf)
    visitor.page.get_by_role("button", name="진위 확인").click()
    visitor.page.wait_for_load_state("networkidle")
    assert visitor.page.get_by_role("alert").inner_text().startswith("진본입니다")
    visitor.check()
