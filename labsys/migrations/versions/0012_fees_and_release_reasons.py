"""Fees beyond ₩2.1 billion

Money columns (``test_method.fee_krw``, ``booking.fee_krw``) become ``BIGINT`` on PostgreSQL, whose ``INTEGER``
holds 32 bits. SQLite's ``INTEGER`` already holds 64 bits: there the change is the model's alone, and no table is
copied (a batch rebuild of ``booking`` would be needless; ``reservation`` keeps its overlap triggers).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:00:00.000000
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = (('test_method', 'fee_krw'), ('booking', 'fee_krw'))


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in _MONEY:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in _MONEY:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)
