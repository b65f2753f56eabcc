"""A run's analysis is versioned: the station's when the run ends, and each reanalysis of its stored file

Completed runs analysed before get their station's analysis as version 1, from the metrics and verdict the run
holds (no program was recorded then: empty strings).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import sqlmodel

import labsys.db.types


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VERSION_ONE = """
INSERT INTO run_analysis
    (run_id, version, program, program_version, triggered_by, actor, created_at, file_sha256, inputs, metrics, verdict)
SELECT id, 1, '', '', 'station', 'station:' || COALESCE(station, ''), COALESCE(finished_at, queued_at),
       hdf5_sha256, '{}', metrics, verdict
FROM run
WHERE status = 'completed'
"""


def upgrade() -> None:
    op.create_table('run_analysis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('program', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('program_version', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('triggered_by', sa.Enum('station', 'reanalysis', name='analysistrigger', native_enum=False, length=20), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('created_at', labsys.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('file_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('verdict', sa.Enum('pass', 'fail', 'inconclusive', name='verdict', native_enum=False, length=20), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['run.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'version', name='uq_run_analysis_run_id_version')
    )
    with op.batch_alter_table('run_analysis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_run_analysis_run_id'), ['run_id'], unique=False)
    op.execute(_VERSION_ONE)


def downgrade() -> None:
    with op.batch_alter_table('run_analysis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_run_analysis_run_id'))
    op.drop_table('run_analysis')
