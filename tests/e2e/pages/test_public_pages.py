"""What a visitor sees before signing in, in a real browser: Korean pages, all served from the lab itself."""

from __future__ import annotations

from tests.e2e.pages.conftest import Visit

PUBLIC_PAGES = ["/", "/methods", "/methods/DIODE-IV", "/sign-in", "/schema/"]


def test_every_public_page_loads_from_the_host_without_errors_and_is_accessible(visit: Visit) -> None:
    for path in PUBLIC_PAGES:
        visit.open(path)
        if path != "/schema/":  # Swagger UI is not ours to fix; it must render offline, which check() covers
            visit.check()
        else:
            assert not visit.left_the_host
            assert visit.page.locator(".swagger-ui .info .title").inner_text().startswith("labsys")


def test_the_hangul_typeface_is_the_one_the_lab_serves(visit: Visit) -> None:
    visit.open("/methods")

    loaded = visit.page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family))"
    )

    assert '"Labsys Gothic"' in loaded or "Labsys Gothic" in loaded


def test_a_visitor_switches_to_english_and_back(visit: Visit) -> None:
    visit.open("/methods")
    assert visit.page.locator("h1").inner_text() == "시험 항목"

    visit.page.get_by_role("link", name="English").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("h1").inner_text() == "Test catalog"
    assert visit.page.url.endswith("/methods")

    visit.page.get_by_role("link", name="한국어").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("h1").inner_text() == "시험 항목"
