"""Fewer pages written per booking: indexes that no query needs go

- ``ix_reservation_instrument_id``: ``ix_reservation_instrument_id_starts_at`` leads with the instrument and
  serves every lookup by it.
- ``ix_audit_event_action``: nothing reads audit events by action; the chain is read in ``id`` order.
- The unique index on ``audit_event.hash``: each hash covers the event's id and the hash before it, so the chain
  itself makes them unique, and verifying it recomputes every link. Its keys are random, so every event wrote
  a page of its own there.

Together they were a quarter of the pages a batch of bookings wrote to SQLite's log. The audit events are kept
as they are (on SQLite the table is rebuilt without the constraint, rows copied unchanged).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:20:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's unique constraint on audit_event.hash has no name; batch mode names it by this convention.
_NAMING = {'uq': 'uq_%(table_name)s_%(column_0_name)s'}
_POSTGRESQL_HASH_KEY = 'audit_event_hash_key'


def upgrade() -> None:
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.drop_index('ix_reservation_instrument_id')

    with op.batch_alter_table('audit_event', schema=None, naming_convention=_NAMING) as batch_op:
        batch_op.drop_index('ix_audit_event_action')
        if op.get_context().dialect.name == 'sqlite':
            batch_op.drop_constraint('uq_audit_event_hash', type_='unique')
        else:
            batch_op.drop_constraint(_POSTGRESQL_HASH_KEY, type_='unique')


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        name = 'uq_audit_event_hash' if op.get_context().dialect.name == 'sqlite' else _POSTGRESQL_HASH_KEY
        batch_op.create_unique_constraint(name, ['hash'])
        batch_op.create_index('ix_audit_event_action', ['action'], unique=False)

    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.create_index('ix_reservation_instrument_id', ['instrument_id'], unique=False)
