"""A run followed live: server-sent events with its status, progress and live preview until it ends.

The stream polls the run service every half second (one small read; the station stores what it reports), sends
``progress`` when the status or progress changed and ``preview`` when new data arrived, and at the end one ``end``
event, after which the page loads the preview of the closed file. A stream also ends after a while, and the
browser's ``EventSource`` reconnects on its own: no connection is held for the whole of a long run.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import anyio
import anyio.to_thread
from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import ServerSentEvent, ServerSentEventMessage

from api.pages.i18n import current_language, gettext, in_language
from api.pages.runs.words import labelled_preview
from api.pages.viewer import Person
from api.pages.vocabulary import RUN_STATUSES
from api.state import Runs
from labsys.companies.accounts import Account
from labsys.runs.models import RunLive
from labsys.runs.service import RunService

__all__ = ["POLL_S", "STREAM_S", "RunEvents", "run_events"]

#: How often a stream asks where the run is (the station reports about as often).
POLL_S = 0.5
#: How long one stream lasts before the browser reconnects: short, so that a server stopping waits for no stream
#: long (it lets open responses finish).
STREAM_S = 30.0
#: How long the browser waits before reconnecting, in ms.
RETRY_MS = 2000


def _state(live: RunLive) -> dict[str, Any]:
    return {
        "status": live.status.value,
        "label": gettext(RUN_STATUSES[live.status.value]),
        "progress": round(live.progress, 1),
        "rows": live.rows_committed,
    }


def _message(event: str, data: dict[str, Any]) -> ServerSentEventMessage:
    return ServerSentEventMessage(event=event, data=json.dumps(data, separators=(",", ":")), retry=RETRY_MS)


async def run_events(
    runs: RunService, run_id: int, viewer: Account, language: str, *, poll_s: float = POLL_S
) -> AsyncIterator[ServerSentEventMessage]:
    """The events of one run until it ends (``end``) or the stream has lasted :data:`STREAM_S`."""
    sent_state: dict[str, Any] | None = None
    sent_preview: dict[str, Any] | None = None
    deadline = time.monotonic() + STREAM_S
    while time.monotonic() < deadline:
        live = await anyio.to_thread.run_sync(partial(runs.live, run_id, viewer=viewer))
        with in_language(language):
            state = _state(live)
            if live.preview is None:  # the run has ended
                verdict = live.verdict.value if live.verdict else None
                yield _message("end", {**state, "verdict": verdict})
                return
            if state != sent_state:
                sent_state = state
                yield _message("progress", state)
            if live.preview["source_points"] and live.preview != sent_preview:
                sent_preview = live.preview
                yield _message("preview", labelled_preview(live.preview))
        await anyio.sleep(poll_s)


class RunEvents(Controller):
    """``/runs/{id}/events``."""

    include_in_schema = False

    @get("/runs/{run_id:int}/events")
    async def events(self, run_id: FromPath[int], person: Person, run_service: Runs) -> ServerSentEvent:
        """The run's progress, status and live preview as server-sent events (another company's run: 404)."""
        await anyio.to_thread.run_sync(partial(run_service.live, run_id, viewer=person))  # 404 before streaming
        return ServerSentEvent(run_events(run_service, run_id, person, current_language()))
