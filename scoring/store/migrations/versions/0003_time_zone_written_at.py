"""campaign time zone; when each audit entry was really written

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a column in place (it copies the table); PostgreSQL
    # gets plain ALTER TABLE statements. Existing campaigns take the default zone.
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(
            sa.Column(
                "time_zone",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="Asia/Ho_Chi_Minh",
            )
        )
    with op.batch_alter_table("audit_log") as batch:
        # entries written before this revision have none (their hash does not cover it)
        batch.add_column(sa.Column("written_at", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("written_at")
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("time_zone")
