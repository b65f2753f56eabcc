"""The planner's proposals are kept, to be applied by id

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:00:00.000000
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa

import labsys.db.types


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'plan_proposal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('starts_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ends_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('body', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.Column('applied_at', labsys.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['applied_by_id'], ['user.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('plan_proposal')
