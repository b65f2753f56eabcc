"""The message catalogs: every string of the pages has its Korean; money and times as the lab writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import api.pages
from api.pages import i18n

PAGES = Path(api.pages.__file__).parent
SEOUL = ZoneInfo("Asia/Seoul")


def _extracted() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PAGES, method_map, options, keywords=keywords, comment_tags=()
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_string_of_the_pages_has_its_korean() -> None:
    with (PAGES / "locales" / "ko" / "LC_MESSAGES" / "pages.po").open("rb") as po:
        catalog = read_po(po, locale="ko")
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}

    missing = sorted(_extracted() - translated)

    assert not missing, f"no Korean for: {missing}"


def test_money_is_written_in_won() -> None:
    assert i18n.money(180000) == "180,000원"
    assert i18n.money(0) == "0원"


def test_times_are_shown_in_the_lab_zone_in_each_language() -> None:
    moment = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # 09:30 in Seoul

    with i18n.in_language("ko"):
        korean = i18n.lab_datetime(moment, SEOUL)
    with i18n.in_language("en"):
        english = i18n.lab_datetime(moment, SEOUL)

    assert "9:30" in korean
    assert "2026" in korean
    assert "12" in korean
    assert "9:30" in english
    assert "Dec" in english


def test_the_english_catalog_holds_no_korean() -> None:
    with (PAGES / "locales" / "en" / "LC_MESSAGES" / "pages.po").open("rb") as po:
        catalog = read_po(po, locale="en")
    hangul = [m.id for m in catalog if m.id and any("\uac00" <= c <= "\ud7a3" for c in str(m.string))]

    assert not hangul, f"Korean in the English catalog for: {hangul[:5]}"
