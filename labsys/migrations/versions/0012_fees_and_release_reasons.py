"""Fees beyond ₩2.1 billion; a released reservation records when and why

Money columns (``test_method.fee_krw``, ``booking.fee_krw``) become ``BIGINT`` on PostgreSQL, whose ``INTEGER``
holds 32 bits. SQLite's ``INTEGER`` already holds 64 bits: there the change is the model's alone, and no table is
copied (a batch rebuild of ``booking`` would be needless; ``reservation`` keeps its overlap triggers).

``reservation`` gains ``released_at`` and ``release_reason``, added in place. Inactive rows get the reason the audit
trail tells, with the event's time: the reservations a ``booking.no_show`` event lists are ``no_show``; a
``booking.rescheduled``, ``booking.planned``, ``booking.cancelled`` or ``booking.rejected`` event released the
booking's inactive reservations that started where the booking started before the event (``rescheduled``,
``replanned``, ``cancelled``, ``rejected``). A row no event explains keeps NULL, which utilisation reads as it did
before: a no-show's if its booking's ``no_show_at`` is set and its start is still the booking's.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from alembic import op
import sqlalchemy as sa

import labsys.db.types


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = (('test_method', 'fee_krw'), ('booking', 'fee_krw'))

#: The audit action that released a booking's reservations at its start as it stood, and the reason it was.
_RELEASED_BY = {
    'booking.rescheduled': 'rescheduled',
    'booking.planned': 'replanned',
    'booking.cancelled': 'cancelled',
    'booking.rejected': 'rejected',
}

_reservation = sa.table(
    'reservation',
    sa.column('id', sa.Integer()),
    sa.column('booking_id', sa.Integer()),
    sa.column('starts_at', labsys.db.types.UTCDateTime(timezone=True)),
    sa.column('active', sa.Boolean()),
    sa.column('released_at', labsys.db.types.UTCDateTime(timezone=True)),
    sa.column('release_reason', sa.String(20)),
)
_audit = sa.table(
    'audit_event',
    sa.column('id', sa.Integer()),
    sa.column('at', labsys.db.types.UTCDateTime(timezone=True)),
    sa.column('action', sa.String(100)),
    sa.column('entity_id', sa.String(50)),
    sa.column('before', sa.JSON()),
    sa.column('after', sa.JSON()),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in _MONEY:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)
    op.add_column('reservation', sa.Column('released_at', labsys.db.types.UTCDateTime(timezone=True), nullable=True))
    op.add_column('reservation', sa.Column('release_reason', sa.Enum('cancelled', 'rejected', 'rescheduled', 'no_show', 'replanned', name='releasereason', native_enum=False, create_constraint=False, length=20), nullable=True))
    _fill_release_reasons(op.get_bind())


def downgrade() -> None:
    op.drop_column('reservation', 'release_reason')
    op.drop_column('reservation', 'released_at')
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in _MONEY:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)


def _fill_release_reasons(connection: sa.Connection) -> None:
    """Each inactive reservation's reason and time, where the audit trail tells them (oldest event first)."""
    events = connection.execute(
        sa.select(_audit.c.at, _audit.c.action, _audit.c.entity_id, _audit.c.before, _audit.c.after)
        .where(_audit.c.action.in_(['booking.no_show', *_RELEASED_BY]))
        .order_by(_audit.c.id)
    ).all()
    for at, action, entity_id, before, after in events:
        unexplained = sa.and_(sa.not_(_reservation.c.active), _reservation.c.release_reason.is_(None))
        if action == 'booking.no_show':
            ids = [int(i) for i in (after or {}).get('released_reservations', [])]
            which = _reservation.c.id.in_(ids)
            reason = 'no_show'
        else:
            start = _start(before)
            if start is None or not entity_id.isdigit():
                continue
            which = sa.and_(_reservation.c.booking_id == int(entity_id), _reservation.c.starts_at == start)
            reason = _RELEASED_BY[action]
        connection.execute(
            sa.update(_reservation).where(which, unexplained).values(release_reason=reason, released_at=at)
        )


def _start(snapshot: dict[str, Any] | None) -> datetime | None:
    """The booking's start in an audit snapshot (an ISO 8601 time), as an aware UTC time."""
    written = (snapshot or {}).get('starts_at')
    if not isinstance(written, str):
        return None
    start = datetime.fromisoformat(written)
    return (start if start.tzinfo else start.replace(tzinfo=UTC)).astimezone(UTC)
