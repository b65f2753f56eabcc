"""Faults a test or a person can inject into a simulated instrument, as real benches produce them."""

from __future__ import annotations

import enum

__all__ = ["INJECTED_ERROR", "LATE_REPLY_S", "Fault"]

#: What ``Fault.QUEUE_ERROR`` puts in the instrument's error queue.
INJECTED_ERROR = (-310, "System error")
#: How late a reply comes under ``Fault.LATE_REPLY`` unless the injection says otherwise, in s.
LATE_REPLY_S = 1.0


class Fault(enum.Enum):
    """A misbehaviour of one instrument, active from ``bench.inject`` until ``bench.clear_faults``.

    The values are the names ``labsys sim fault TAG KIND`` and the bench's control port take.
    """

    #: Queries get no answer: the driver times out.
    NO_REPLY = "no_reply"
    #: Replies come, but late (``delay_s`` of the injection): past the driver's timeout, the reply is still sent on
    #: the connection, where a driver that kept it would read it as the reply to its next query.
    LATE_REPLY = "late_reply"
    #: A reply stops halfway, without its terminator, and the rest never comes: the driver times out mid-line.
    PARTIAL_LINE = "partial_line"
    #: A binary block stops halfway and the instrument closes the connection.
    DROP_MID_BLOCK = "drop_mid_block"
    #: Replies are line noise (non-ASCII bytes), as after a baud-rate or framing fault.
    GARBAGE = "garbage"
    #: The instrument's port refuses connections and its open connections are cut, as when its LAN interface is
    #: down; clearing the fault listens on the same port again.
    REFUSED_CONNECTION = "refused_connection"
    #: One error (``-310,"System error"``) is put in the error queue when injected.
    QUEUE_ERROR = "queue_error"
