"""deal economics

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A card's channel (platform order or direct), its rebate, service fee and platform fee,
    # and the net cost they make (services/deal_cost). Existing cards had none of these,
    # so their net cost is their agreed fee. Money columns follow MoneyType: whole cents
    # in an integer on SQLite, NUMERIC(16, 2) elsewhere.
    money = sa.BigInteger() if op.get_bind().dialect.name == "sqlite" else sa.Numeric(16, 2)
    with op.batch_alter_table("collaborations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("rebate_pct", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("service_fee", money, nullable=True))
        batch_op.add_column(sa.Column("platform_fee_pct", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("net_fee", money, nullable=True))
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rebate_pct", sa.Float(), nullable=True))
    op.execute("UPDATE collaborations SET net_fee = agreed_fee")


def downgrade() -> None:
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_column("rebate_pct")
    with op.batch_alter_table("collaborations", schema=None) as batch_op:
        for name in ("net_fee", "platform_fee_pct", "service_fee", "rebate_pct", "channel"):
            batch_op.drop_column(name)
