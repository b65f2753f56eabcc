"""The steps of a test's whole journey through the pages only, as each person takes them in a browser.

Shared by the journey test and the script that takes the README's screenshots: both walk the same path.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Download

from tests.e2e.pages.conftest import Visit

NEW_PASSWORD = "hanul-sensor-2026"
ENGINEER = "engineer@lab.example.com"
REVIEWER = "reviewer@lab.example.com"
_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_serials = itertools.count(4321)


def valid_brn() -> str:
    """A business registration number whose check digit holds, different on each call."""
    head = f"31481{next(_serials):05d}"[:9]
    digits = [int(d) for d in head]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return f"{head[:3]}-{head[3:5]}-{head[5:]}{(10 - total % 10) % 10}"


@dataclass(frozen=True)
class NewCompany:
    """The company a person registers on the pages."""

    name: str
    brn: str
    email: str


def register(visit: Visit, serial: int) -> NewCompany:
    """Register a new company (the number is checked as it is typed), then sign in as its contact, who lands on
    their bookings."""
    company = NewCompany(f"(주)하늘센서 {serial}", valid_brn(), f"jiwoo.han{serial}@hanul.example.com")
    visit.open("/register")
    page = visit.page
    page.get_by_label("회사명(상호)").fill(company.name)
    page.get_by_label("사업자등록번호").press_sequentially(company.brn, delay=20)
    page.locator("#business_registration_number-check .check.ok").wait_for()
    page.get_by_label("주소").fill("경상남도 창원시 의창구 창원대로 363")
    page.get_by_label("이름").fill("한지우")
    page.get_by_label("이메일").fill(company.email)
    page.get_by_label("전화번호").fill("055-210-3000")
    page.get_by_label("비밀번호", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("비밀번호 확인").fill(NEW_PASSWORD)
    page.get_by_role("button", name="회사 등록하기").click()
    page.wait_for_url(re.compile(r"/sign-in\?registered=true$"))
    assert "등록 신청을 받았습니다" in page.get_by_role("status").inner_text()
    visit.sign_in(company.email, NEW_PASSWORD)
    page.wait_for_url(re.compile(r"/bookings$"))
    return company


def book_earliest(visit: Visit, method: str) -> int:
    """Book ``method`` at the earliest free slot, read the quote and confirm; the booking's id."""
    page = visit.page
    visit.open(f"/bookings/new?method={method}")
    page.get_by_label("시료 표시").first.fill("HS-01")
    page.get_by_label("가장 빠른 일시").check()
    page.get_by_role("button", name="예약 신청하고 견적 보기").click()
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    booking = int(page.url.rsplit("/", 1)[1])
    page.get_by_role("button", name="예약 확정").click()
    page.wait_for_load_state("networkidle")
    return booking


def start_before_the_slot(visit: Visit) -> None:
    """Tick the override to run before the booking's slot, which lies ahead, and say why."""
    visit.page.get_by_label("예약 시간 전에 시작").check()
    visit.page.get_by_label("사유").fill("고객 요청으로 조기 시험")


def receive_and_start(visit: Visit, booking: int) -> int:
    """The engineer receives the sample and starts the run with the method's defaults; the run's id."""
    page = visit.page
    visit.open(f"/bookings/{booking}")
    page.get_by_role("link", name="시료 접수").click()
    page.get_by_label("접수 시 상태").first.fill("밀봉 포장, 외관 이상 없음")
    page.get_by_role("button", name="접수 기록").click()
    page.wait_for_url(re.compile(rf"/bookings/{booking}$"))
    page.get_by_role("link", name="시험 시작").click()
    start_before_the_slot(visit)
    page.get_by_role("button", name="시험 시작").click()
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def approve(visit: Visit, booking: int) -> str:
    """The reviewer opens the booking from the queue, approves and issues; the certificate's number."""
    page = visit.page
    visit.open("/reviews")
    page.locator(f"a[href='/reviews/{booking}']").first.click()
    page.get_by_role("button", name="승인하고 성적서 발행").click()
    page.wait_for_url(re.compile(r"/certificates/[^/]+$"))
    return page.url.rsplit("/", 1)[1]


def download(visit: Visit, link_href: str, folder: Path) -> Path:
    """Click the link to ``link_href`` and keep the file it downloads."""
    with visit.page.expect_download() as started:
        visit.page.locator(f"a[href='{link_href}']").first.click()
    done: Download = started.value
    path = folder / done.suggested_filename
    done.save_as(path)
    return path
