"""the register of units: validity dates and predecessors; units ended without a successor

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-20 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode for SQLite (see 0003). Units stored before this revision existed all year and
    # continue nothing by the register; campaigns list no ended units.
    with op.batch_alter_table("unit") as batch:
        batch.add_column(sa.Column("valid_from", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.add_column(sa.Column("valid_to", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.add_column(
            sa.Column(
                "predecessors_json",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="[]",
            )
        )
    with op.batch_alter_table("campaign") as batch:
        batch.add_column(
            sa.Column(
                "ended_json",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="[]",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign") as batch:
        batch.drop_column("ended_json")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("predecessors_json")
        batch.drop_column("valid_to")
        batch.drop_column("valid_from")
