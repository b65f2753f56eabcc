"""Rendering pages: the Jinja environment (translations, the lab's formats) and the template response.

A template takes values, never pre-formatted text: it translates with ``_()`` and formats with the filters
``money``, ``lab_datetime``, ``lab_date`` and ``lab_time`` (the lab's zone, the request's language).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from api.pages import i18n
from api.pages.navigation import navigation
from api.pages.vocabulary import BOOKING_STATUSES, RUN_STATUSES, metric_label
from labsys.certificates.conformity import report_unit

__all__ = ["TEMPLATES", "page", "template_config"]

TEMPLATES = Path(__file__).parent / "templates"


def _environment(zone: ZoneInfo) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a value a template expects and does not get is an error, not an empty string
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=i18n.translate, ngettext=i18n.translate_plural, newstyle=True
    )
    environment.filters["money"] = i18n.money
    environment.filters["lab_datetime"] = lambda moment: i18n.lab_datetime(moment, zone)
    environment.filters["lab_date"] = lambda day: i18n.lab_date(day, zone)
    environment.filters["lab_time"] = lambda moment: i18n.lab_time(moment, zone)
    environment.globals["languages"] = i18n.LANGUAGE_NAMES
    environment.globals["current_language"] = i18n.current_language
    environment.globals["navigation"] = navigation
    environment.globals["metric_label"] = metric_label
    environment.globals["unit_symbol"] = report_unit
    environment.globals["booking_status"] = lambda status: i18n.gettext(BOOKING_STATUSES[str(status)])
    environment.globals["run_status"] = lambda status: i18n.gettext(RUN_STATUSES[str(status)])
    return environment


def template_config(zone: ZoneInfo) -> TemplateConfig[JinjaTemplateEngine]:
    """The app's template engine: Jinja2 over ``templates/``, times shown in ``zone``."""
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(_environment(zone)))


def page(template: str, *, status_code: int = 200, **context: Any) -> Template:
    """The page ``template`` rendered with ``context``."""
    return Template(template_name=template, context=context, status_code=status_code, media_type="text/html")
