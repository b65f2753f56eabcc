"""Reservations follow real use: a reservation keeps its booked end when it ends with the work; a booking records
when its slot was released as a no-show

Existing reservations were booked as they stand: their booked end is their end. The columns are added in place
(no table copy), so SQLite's overlap triggers on ``reservation`` stay as they are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa

import labsys.db.types


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('reservation', sa.Column('booked_ends_at', labsys.db.types.UTCDateTime(timezone=True), nullable=True))
    op.execute('UPDATE reservation SET booked_ends_at = ends_at')
    op.add_column('booking', sa.Column('no_show_at', labsys.db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('booking', 'no_show_at')
    op.drop_column('reservation', 'booked_ends_at')
