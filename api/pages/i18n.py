"""The pages' languages: Korean first, English too.

Every string a person reads goes through the message catalogs in ``locales/<language>/LC_MESSAGES/*.po``, loaded
once (each language's files together). A request's language is the one its ``labsys_lang`` cookie names, Korean
when it names none; templates and page handlers translate with :func:`gettext` and format with the filters here:
times in the lab's zone, money in won (``180,000원``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "current_language",
    "gettext",
    "in_language",
    "lab_date",
    "lab_datetime",
    "lab_time",
    "language_of",
    "money",
    "ngettext",
    "translate",
    "translate_plural",
]

#: The languages the pages speak, the lab's own first.
LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
#: The cookie that keeps a person's choice of language.
LANGUAGE_COOKIE = "labsys_lang"
#: How each language is named in the language switch, in its own words.
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}

_CATALOGS = Path(__file__).parent / "locales"
_current: ContextVar[str] = ContextVar("labsys_language", default=DEFAULT_LANGUAGE)


@lru_cache(maxsize=len(LANGUAGES))
def _translations(language: str) -> Translations:
    """Every catalog of ``language``, compiled in memory once (no build step: the ``.po`` files are the source)."""
    merged = Translations()
    for path in sorted((_CATALOGS / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as source:
            catalog = read_po(source, locale=language)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        merged.merge(Translations(fp=compiled))
    return merged


def language_of(cookie: str | None) -> str:
    """The language a request asks for by its cookie, or the lab's own."""
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the request being answered."""
    return _current.get()


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Translate and format in ``language`` within the block."""
    token = _current.set(language_of(language))
    try:
        yield
    finally:
        _current.reset(token)


def use_language(language: str) -> None:
    """Translate and format in ``language`` for the rest of the request (called once per page request)."""
    _current.set(language_of(language))


def translate(message: str) -> str:
    """``message`` in the request's language, as the catalog has it (templates fill placeholders themselves)."""
    text: str = _translations(current_language()).gettext(message)
    return text


def translate_plural(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count`` in the request's language, as the catalog has it."""
    text: str = _translations(current_language()).ngettext(singular, plural, count)
    return text


def gettext(message: str, **values: Any) -> str:
    """``message`` in the request's language, with ``%(name)s`` placeholders filled from ``values``."""
    text = translate(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
    """The singular or plural form for ``count`` in the request's language, ``%(count)s`` filled in."""
    return translate_plural(singular, plural, count) % {"count": count, **values}


def money(amount_krw: int) -> str:
    """An amount of won as people write it: ``180,000원``, or ``KRW 180,000`` in English."""
    figure = format_decimal(amount_krw, locale="ko_KR")
    return f"{figure}원" if current_language() == "ko" else f"KRW {figure}"


def lab_datetime(moment: datetime, zone: ZoneInfo) -> str:
    """An aware time as the lab's clock shows it, in the request's language (``2026년 12월 7일 오전 10:00``)."""
    pattern = "yyyy년 M월 d일 (E) a h:mm" if current_language() == "ko" else "EEE d MMM yyyy, HH:mm"
    return format_datetime(moment, pattern, tzinfo=zone, locale=current_language())


def lab_time(moment: datetime, zone: ZoneInfo) -> str:
    """The time of day at the lab (``오전 10:00``, ``10:00``)."""
    pattern = "a h:mm" if current_language() == "ko" else "HH:mm"
    return format_time(moment, pattern, tzinfo=zone, locale=current_language())


def lab_date(day: date | datetime, zone: ZoneInfo) -> str:
    """A calendar date (of an aware time, at the lab) in the request's language (``2026년 12월 7일 (월)``)."""
    if isinstance(day, datetime):
        day = day.astimezone(zone).date()
    pattern = "yyyy년 M월 d일 (E)" if current_language() == "ko" else "EEE d MMM yyyy"
    return format_date(day, pattern, locale=current_language())
