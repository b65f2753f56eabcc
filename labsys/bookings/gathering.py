"""Gathering the bookings that reach the event loop together into one batch.

Requests that arrive together reach the intake over several turns of the event loop (each is parsed, signed in
and validated in steps). A patient gathering closes a batch when a turn of the loop brings no more, or when it is
full, so the bookings that came together are recorded together rather than one by one. An impatient one hands on
what each turn brought, for a taker that merges what it is handed while it is busy (the writer process): it
gets the first bookings sooner, and the rest join them there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Gathering"]

T = TypeVar("T")


class Gathering(Generic[T]):
    """Items added on the event loop, handed on in batches of at most ``max_batch``."""

    def __init__(
        self,
        max_batch: int,
        take: Callable[[list[T]], None],
        *,
        ready: Callable[[], bool] | None = None,
        patient: bool = True,
    ) -> None:
        """
        Args:
            max_batch: the most items one batch holds.
            take: called on the loop with each batch.
            ready: whether ``take`` can have a batch now; when it could not, call :meth:`resume` once it can.
            patient: wait while each turn of the loop brings more; if not, hand on what the first turn brought.
        """
        self._max_batch = max_batch
        self._take = take
        self._ready = ready or (lambda: True)
        self._patient = patient
        self._waiting: list[T] = []

    def add(self, loop: asyncio.AbstractEventLoop, item: T) -> None:
        """Add an item; the first since the last batch looks for the rest on the next turn of the loop."""
        self._waiting.append(item)
        if len(self._waiting) == 1:
            loop.call_soon(self._hand_on, loop, 1)

    def resume(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hand on what is waiting, now that ``take`` is ready again."""
        if self._waiting:
            loop.call_soon(self._hand_on, loop, len(self._waiting))

    def drain(self) -> list[T]:
        """Everything waiting, taken out."""
        waiting, self._waiting = self._waiting, []
        return waiting

    def _hand_on(self, loop: asyncio.AbstractEventLoop, seen: int) -> None:
        if not self._waiting or not self._ready():
            return
        if self._patient and seen < len(self._waiting) < self._max_batch:  # more came in this turn: let them in
            loop.call_soon(self._hand_on, loop, len(self._waiting))
            return
        batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
        self._take(batch)
        self.resume(loop)  # what did not fit in the batch
