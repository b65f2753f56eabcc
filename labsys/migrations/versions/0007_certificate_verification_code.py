"""Each certificate has a verification code: without it the public verification page says nothing of it

Certificate numbers count up, so anyone could walk them and read each customer's name, method and dates. A
certificate now carries 16 random characters (Crockford base32, 80 bits) printed beside its number and carried in
its QR link; the verification page answers only to the number with its code, or to the issued PDF itself.

Certificates issued before this revision get a code here, but their signed PDFs do not print it and their QR
codes lead to the page without it: a signed document is never rewritten. Their holders can still verify them by
uploading the PDF; the customer and the lab's staff see the new code on the certificate's page in labsys, and the
lab may issue an amendment (``…-R1``) where a printed code is wanted.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00.000000
"""

from collections.abc import Sequence
import secrets

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy of labsys.certificates.codes as it stands at this revision: a migration does not change with the code.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LENGTH = 16

_certificate = sa.table('certificate', sa.column('id', sa.Integer()), sa.column('verification_code', sa.String()))


def _code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))


def upgrade() -> None:
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    bind = op.get_bind()
    for (certificate_id,) in bind.execute(sa.select(_certificate.c.id)).all():
        bind.execute(_certificate.update().where(_certificate.c.id == certificate_id).values(verification_code=_code()))
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('verification_code', existing_type=sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('verification_code')
