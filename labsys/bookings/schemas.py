"""What the API takes for the steps of a booking, and gives for availability."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Protocol, TypeVar

from pydantic import AfterValidator, Field
from sqlmodel import SQLModel

from labsys.bookings.models import BookingStart, SampleDisposition
from labsys.bounds import RecordId

__all__ = [
    "Rejection",
    "Reschedule",
    "SampleCondition",
    "SampleReceipt",
    "SampleRelease",
    "SampleReleases",
    "SlotPublic",
]

Text = Annotated[str, Field(min_length=1, max_length=1000)]


class _NamesASample(Protocol):
    sample_id: int


_NamesSample = TypeVar("_NamesSample", bound=_NamesASample)


def _unique_sample_ids(samples: list[_NamesSample]) -> list[_NamesSample]:
    ids = [s.sample_id for s in samples]
    if len(ids) != len(set(ids)):
        msg = "each sample may be listed once"
        raise ValueError(msg)
    return samples


class Reschedule(SQLModel):
    """A new start for a booking (an aware time, or ``"earliest"``)."""

    start: BookingStart


class Rejection(SQLModel):
    """Why the lab refuses a booking."""

    reason: Text


class SampleCondition(SQLModel):
    """How one sample arrived."""

    sample_id: RecordId
    condition: Text


class SampleReceipt(SQLModel):
    """The condition of every sample of a booking on arrival."""

    samples: Annotated[list[SampleCondition], AfterValidator(_unique_sample_ids)] = Field(min_length=1)


class SampleRelease(SQLModel):
    """What became of one sample after the report, and a note (a courier's tracking number, how it was disposed of)."""

    sample_id: RecordId
    disposition: SampleDisposition
    note: str = Field(default="", max_length=1000)


class SampleReleases(SQLModel):
    """What became of every sample of a booking: recording it closes the booking."""

    samples: Annotated[list[SampleRelease], AfterValidator(_unique_sample_ids)] = Field(min_length=1)


class SlotPublic(SQLModel):
    """A free slot: the instruments (asset tags, one per kind the method needs) and the work's start and end."""

    instruments: list[str]
    start: datetime
    end: datetime
