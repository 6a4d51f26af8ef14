"""evidence documents: file contents once per SHA-256, and the files attached to leaves

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-10 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the bytes live in the database (BLOB on SQLite, BYTEA on PostgreSQL): one backup, one
    # transaction with the audit entry, and nothing to share between web servers
    op.create_table(
        "evidence_blob",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("node_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("uploader", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["sha256"], ["evidence_blob.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evidence_file_unit", "evidence_file", ["campaign_id", "unit_id"])
    op.create_index(op.f("ix_evidence_file_sha256"), "evidence_file", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_file_sha256"), table_name="evidence_file")
    op.drop_index("ix_evidence_file_unit", table_name="evidence_file")
    op.drop_table("evidence_file")
    op.drop_table("evidence_blob")
