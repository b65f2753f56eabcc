"""Items that reach the event loop together are handed on as one batch."""

from __future__ import annotations

import asyncio

from labsys.bookings.gathering import Gathering


async def _turns(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


def test_items_arriving_while_the_batch_closes_join_it_and_a_quiet_turn_ends_it() -> None:
    batches: list[list[str]] = []

    async def arrive() -> None:
        loop = asyncio.get_running_loop()
        gathering = Gathering[str](64, batches.append)

        async def after(turns: int, item: str) -> None:
            await _turns(turns)
            gathering.add(loop, item)

        # "late" arrives in the turn in which the batch of "early" would close: it is let in.
        await asyncio.gather(asyncio.create_task(after(1, "late")), asyncio.create_task(after(0, "early")))
        await _turns(3)
        gathering.add(loop, "next")  # after quiet turns: a batch of its own
        await _turns(3)

    asyncio.run(arrive())
    assert batches == [["early", "late"], ["next"]]


def test_a_batch_holds_at_most_max_batch_and_the_rest_follows() -> None:
    batches: list[list[int]] = []

    async def arrive() -> None:
        loop = asyncio.get_running_loop()
        gathering = Gathering[int](4, batches.append)
        for item in range(10):
            gathering.add(loop, item)
        await _turns(5)

    asyncio.run(arrive())
    assert batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_items_wait_while_the_taker_is_not_ready_and_go_on_resume() -> None:
    batches: list[list[int]] = []
    ready = False

    async def arrive() -> list[int]:
        nonlocal ready
        loop = asyncio.get_running_loop()
        gathering = Gathering[int](64, batches.append, ready=lambda: ready)
        for item in range(3):
            gathering.add(loop, item)
        await _turns(3)
        assert batches == []
        ready = True
        gathering.resume(loop)
        await _turns(3)
        gathering.add(loop, 3)
        return gathering.drain()

    assert asyncio.run(arrive()) == [3]
    assert batches == [[0, 1, 2]]


def _gather_staggered(*, patient: bool) -> list[list[str]]:
    """Two items in one turn of the loop, a third in the next."""
    batches: list[list[str]] = []

    async def arrive() -> None:
        loop = asyncio.get_running_loop()
        gathering = Gathering[str](64, batches.append, patient=patient)

        async def after(turns: int, item: str) -> None:
            await _turns(turns)
            gathering.add(loop, item)

        await asyncio.gather(after(0, "first"), after(0, "second"), after(1, "later"))
        await _turns(3)

    asyncio.run(arrive())
    return batches


def test_an_impatient_gathering_hands_on_what_each_turn_brought_where_a_patient_one_waits() -> None:
    assert _gather_staggered(patient=False) == [["first", "second"], ["later"]]
    assert _gather_staggered(patient=True) == [["first", "second", "later"]]
