"""Sign-in failures slow down guessing; a user's secret calendar address; a booking names its own company by reference

``sign_in_failure`` keeps each wrong password for a day (by email and client address); ``calendar_feed`` keeps the
SHA-256 of each user's secret calendar address. A booking's party (applicant, payer, report recipient) that is the
booking's own company was a copy of the company's record; it becomes a reference to it, so a correction of the
record reaches the booking and an amended certificate prints it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

from alembic import op
import sqlalchemy as sa
import sqlmodel

import labsys.db.types


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIES = ('applicant', 'payer', 'report_recipient')
_MARK = 'booking_company'

_booking = sa.table(
    'booking', sa.column('id', sa.Integer), sa.column('company_id', sa.Integer),
    *(sa.column(role, sa.JSON) for role in _PARTIES),
)
_company = sa.table(
    'company', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('address', sa.String),
    sa.column('business_registration_number', sa.String), sa.column('contact_name', sa.String),
    sa.column('contact_email', sa.String),
)


def upgrade() -> None:
    op.create_table('sign_in_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('failed_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failure_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_failed_at'), ['failed_at'], unique=False)

    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('secret_sha256'),
    sa.UniqueConstraint('user_id')
    )
    _rewrite_parties(_as_reference)


def downgrade() -> None:
    _rewrite_parties(_as_copy)
    op.drop_table('calendar_feed')
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_failed_at'))
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_email'))
    op.drop_table('sign_in_failure')


def _as_reference(party: dict[str, Any], company: Any) -> dict[str, Any] | None:
    number = str(party.get('business_registration_number') or '').replace('-', '').replace(' ', '')
    if party.get(_MARK) or number != company.business_registration_number:
        return None
    return {_MARK: True, 'contact': str(party.get('contact') or '')}


def _as_copy(party: dict[str, Any], company: Any) -> dict[str, Any] | None:
    if not party.get(_MARK):
        return None
    return {
        'name': company.name,
        'address': company.address,
        'business_registration_number': company.business_registration_number,
        'contact': party.get('contact') or f'{company.contact_name} <{company.contact_email}>',
    }


def _rewrite_parties(rewrite: Any) -> None:
    connection = op.get_bind()
    companies = {row.id: row for row in connection.execute(sa.select(_company))}
    for row in connection.execute(sa.select(_booking)).all():
        changes = {}
        for role in _PARTIES:
            party = getattr(row, role)
            new = rewrite(party, companies[row.company_id]) if isinstance(party, dict) else None
            if new is not None:
                changes[role] = new
        if changes:
            connection.execute(_booking.update().where(_booking.c.id == row.id).values(**changes))
