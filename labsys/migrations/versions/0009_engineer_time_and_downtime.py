"""Engineers' weekly shifts and leave; instruments' downtime; the engineer each reservation's work is given to

``engineer_shift`` keeps each engineer's weekly pattern (weekday, lab-zone start and end times); an engineer with no
row works the lab's opening hours. ``engineer_leave`` keeps days off (inclusive date ranges, with a reason).
``instrument_downtime`` keeps maintenance and repair blocks per instrument. ``reservation.engineer_id`` names the
engineer who does the booking's work (empty on reservations made before).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import sqlmodel

import labsys.db.types


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('engineer_shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engineer_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['engineer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('engineer_shift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engineer_shift_engineer_id'), ['engineer_id'], unique=False)

    op.create_table('engineer_leave',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engineer_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('created_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engineer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('engineer_leave', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engineer_leave_engineer_id'), ['engineer_id'], unique=False)

    op.create_table('instrument_downtime',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('maintenance', 'repair', name='downtimekind', native_enum=False,
                              create_constraint=False, length=20), nullable=False),
    sa.Column('starts_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['instrument_id'], ['instrument.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('instrument_downtime', schema=None) as batch_op:
        batch_op.create_index('ix_instrument_downtime_instrument_id_starts_at', ['instrument_id', 'starts_at'],
                              unique=False)

    # Added in place, not by a batch rebuild, so SQLite keeps the table's no-overlap triggers; SQLite takes the
    # foreign key only inline, in the column's own definition.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE reservation ADD COLUMN engineer_id INTEGER REFERENCES user (id)')
    else:
        op.add_column('reservation', sa.Column('engineer_id', sa.Integer(), nullable=True))
        op.create_foreign_key(None, 'reservation', 'user', ['engineer_id'], ['id'])
    op.create_index(op.f('ix_reservation_engineer_id'), 'reservation', ['engineer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reservation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reservation_engineer_id'))
        batch_op.drop_column('engineer_id')
    with op.batch_alter_table('instrument_downtime', schema=None) as batch_op:
        batch_op.drop_index('ix_instrument_downtime_instrument_id_starts_at')
    op.drop_table('instrument_downtime')
    with op.batch_alter_table('engineer_leave', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engineer_leave_engineer_id'))
    op.drop_table('engineer_leave')
    with op.batch_alter_table('engineer_shift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engineer_shift_engineer_id'))
    op.drop_table('engineer_shift')
