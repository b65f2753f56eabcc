"""The run pages: the list of runs, a run followed live, its plot's preview and its data file."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from api.pages.runs.events import RunEvents
from api.pages.runs.files import RunFiles
from api.pages.runs.pages import RunPages

__all__ = ["RUN_PAGES"]

RUN_PAGES: list[ControllerRouterHandler] = [RunPages, RunFiles, RunEvents]
