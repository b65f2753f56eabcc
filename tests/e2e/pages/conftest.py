"""The lab's pages in a real browser: Debian's Chromium driven by Playwright, against ``labsys serve --demo``.

Every visit records what a person's browser would do wrong: a request that leaves the host, an error in the
console, an uncaught script error; :meth:`Visit.check` also runs axe-core over the page.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, ViewportSize, sync_playwright

from labsys.demo import DEMO_PASSWORD
from tests.e2e.serving import Served, serving

#: What a page must never have: an accessibility violation of these impacts.
BLOCKING_IMPACTS = {"serious", "critical"}

DESKTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}

_AXE = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here runs in a browser."""
    for item in items:
        if "tests/e2e/pages/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``labsys serve --demo`` on a fresh SQLite lab, as the README's first command starts it."""
    data = tmp_path_factory.mktemp("lab") / "data"
    with serving(f"sqlite:///{data / 'labsys.sqlite3'}", data, "--demo") as served:
        yield served


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (``apt install chromium``): Playwright cannot download its own browsers here.

    One per module, not per session: Playwright's synchronous API holds an event loop in the main thread while it
    runs, and later tests in the same process (signing a PDF) start event loops of their own.
    """
    executable = shutil.which("chromium")
    assert executable, "Chromium is not installed: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@dataclass
class Visit:
    """One person's browser tab on the demo lab, and what went wrong in it."""

    page: Page
    base_url: str
    left_the_host: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    #: The statuses the pages themselves answered (a refused form is a 4xx page: Chromium logs it as an error).
    document_statuses: set[int] = field(default_factory=set)

    def saw_response(self, response: Response) -> None:
        """Note a page's own status."""
        if response.request.resource_type == "document":
            self.document_statuses.add(response.status)

    def saw_console(self, message: ConsoleMessage) -> None:
        """Keep an error the console shows, but not the one Chromium logs for a page answered 4xx on purpose."""
        if message.type != "error":
            return
        refused = any(f"status of {status} " in message.text for status in self.document_statuses if status >= 400)
        if not (refused and message.text.startswith("Failed to load resource")):
            self.console_errors.append(message.text)

    def open(self, path: str) -> None:
        """Go to ``path`` on the lab and wait until it has loaded."""
        response = self.page.goto(self.base_url + path)
        assert response is not None
        self.page.wait_for_load_state("networkidle")

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in through the form, as a person does."""
        self.open("/sign-in")
        self.page.get_by_label("이메일").fill(email)
        self.page.get_by_label("비밀번호").fill(password)
        self.page.get_by_role("button", name="로그인").click()
        self.page.wait_for_load_state("networkidle")
        assert "/sign-in" not in self.page.url, "the sign-in was refused"

    def check(self) -> None:
        """Nothing left the host, the console has no error, and axe finds nothing serious or critical."""
        path = self.page.url.removeprefix(self.base_url)
        assert not self.left_the_host, f"{path} sent requests off the host: {self.left_the_host}"
        assert not self.console_errors, f"{path} logged errors: {self.console_errors}"
        violations = _AXE.run(self.page).response["violations"]
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"{path} has accessibility violations: {blocking}"

    def screenshot(self, path: Path) -> None:
        """The whole page as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("document.fonts.ready")
        self.page.screenshot(path=str(path), full_page=True)


def open_visit(browser: Browser, base_url: str, viewport: ViewportSize = DESKTOP) -> Visit:
    """A fresh browser context (no cookies) watching every request and console message."""
    context = browser.new_context(viewport=viewport, locale="ko-KR", timezone_id="Asia/Seoul")
    context.set_default_timeout(15_000)
    page = context.new_page()
    visit = Visit(page, base_url)
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((base_url, "data:", "blob:")) else visit.left_the_host.append(request.url)
        ),
    )
    page.on("response", visit.saw_response)
    page.on("console", visit.saw_console)
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    return visit


@pytest.fixture
def visit(chromium: Browser, demo: Served) -> Iterator[Visit]:
    """A browser tab on the demo lab at desktop size, closed after the test."""
    opened = open_visit(chromium, demo.base_url)
    yield opened
    opened.page.context.close()
