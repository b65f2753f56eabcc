"""Take the README's screenshots: every main page in Korean at 1366×768, the booking and run pages at phone width.

Run: ``uv run python docs/screenshots/take.py`` (needs Debian's ``chromium``). It starts ``labsys serve --demo``
on a fresh data folder, walks a test's journey through the pages (the same steps as the browser journey test),
and writes the PNGs beside this file.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.e2e.pages.conftest import DESKTOP, PHONE, Visit, open_visit  # noqa: E402
from tests.e2e.pages.journey import (  # noqa: E402
    ENGINEER,
    NEW_PASSWORD,
    REVIEWER,
    approve,
    book_earliest,
    receive_and_start,
    register,
)
from tests.e2e.serving import serving  # noqa: E402

ADMIN = "admin@lab.example.com"


def _shot(visit: Visit, name: str, *, full_page: bool = False) -> None:
    visit.page.evaluate("document.fonts.ready")
    visit.page.wait_for_timeout(300)  # plots draw after their preview arrives
    visit.page.screenshot(path=str(HERE / f"{name}.png"), full_page=full_page)
    sys.stdout.write(f"{name}.png\n")


def _public(visitor: Visit) -> None:
    for path, name in (("/", "01-home"), ("/methods", "02-catalog"), ("/methods/STEP-RISE", "03-method")):
        visitor.open(path)
        _shot(visitor, name)


def _at_phone_width(phone: Visit, booking: int, run: int) -> None:
    phone.open(f"/bookings/{booking}")
    _shot(phone, "17-phone-booking", full_page=True)
    phone.open(f"/runs/{run}")
    _shot(phone, "18-phone-run", full_page=True)


def _planning(admin: Visit, engineer: Visit) -> None:
    """An engineer's shifts and leave, the planner's proposal for next week, and the lab's utilisation."""
    admin.page.get_by_role("link", name="Han Seo-yeon").click()
    admin.page.wait_for_load_state("networkidle")
    _shot(admin, "19-admin-engineer-time", full_page=True)
    admin.open("/admin/plan")
    admin.page.locator("form[action='/admin/plan'] button[type=submit]").click()
    admin.page.wait_for_url("**/admin/plan/*")
    _shot(admin, "20-admin-plan", full_page=True)
    engineer.open("/utilisation")
    _shot(engineer, "21-utilisation", full_page=True)


def main() -> None:
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Chromium is not installed: apt-get install chromium")
    data = Path(tempfile.mkdtemp(prefix="labsys-shots-")) / "data"
    with serving(f"sqlite:///{data / 'labsys.sqlite3'}", data, "--demo") as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        base = served.base_url
        visitor, customer, engineer, reviewer, admin = (open_visit(browser, base, DESKTOP) for _ in range(5))
        phone = open_visit(browser, base, PHONE)

        _public(visitor)
        visitor.open("/register")  # as a stranger sees it: a signed-in person is sent on to their bookings
        _shot(visitor, "04-register")
        company = register(customer, 7)
        customer.open("/bookings/new?method=STEP-RISE")
        _shot(customer, "05-booking-form")
        booking = book_earliest(customer, "STEP-RISE")

        engineer.sign_in(ENGINEER)
        engineer.open("/schedule")
        _shot(engineer, "06-schedule")
        engineer.open("/equipment")
        _shot(engineer, "07-equipment")
        run = receive_and_start(engineer, booking)
        _shot(engineer, "08-run-live")
        engineer.page.locator("figure.plot[data-ended=true]").wait_for(timeout=120_000)
        _shot(engineer, "09-run-completed")
        engineer.open(f"/bookings/{booking}")
        engineer.page.get_by_role("button", name="검토 요청").click()
        engineer.page.wait_for_load_state("networkidle")

        reviewer.sign_in(REVIEWER)
        reviewer.open("/reviews")
        _shot(reviewer, "10-review-queue")
        reviewer.open(f"/reviews/{booking}")
        _shot(reviewer, "11-review")
        number = approve(reviewer, booking)
        _shot(reviewer, "12-certificate")
        code = reviewer.page.locator("code.verification-code").first.inner_text()  # printed beside the number

        customer.open(f"/bookings/{booking}")
        _shot(customer, "13-booking")
        customer.open("/bookings")
        _shot(customer, "14-my-bookings")

        visitor.open(f"/verify?number={number}&code={code}")  # the address in the report's QR code
        _shot(visitor, "15-verify")

        admin.sign_in(ADMIN)
        admin.open("/admin/users")
        _shot(admin, "16-admin-users")
        _planning(admin, engineer)

        phone.sign_in(company.email, NEW_PASSWORD)
        _at_phone_width(phone, booking, run)
        browser.close()


if __name__ == "__main__":
    main()
