"""What became of each sample after the report: returned to the customer or disposed of

A booking closes when the lab records the disposition of every one of its samples (ISO/IEC 17025 7.4).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import sqlmodel

import labsys.db.types


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sample', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disposition', sa.Enum('returned', 'disposed', name='sampledisposition', native_enum=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('disposition_note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('disposition_at', labsys.db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('disposition_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_sample_disposition_by_id_user', 'user', ['disposition_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('sample', schema=None) as batch_op:
        batch_op.drop_constraint('fk_sample_disposition_by_id_user', type_='foreignkey')
        batch_op.drop_column('disposition_by_id')
        batch_op.drop_column('disposition_at')
        batch_op.drop_column('disposition_note')
        batch_op.drop_column('disposition')
