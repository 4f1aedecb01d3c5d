"""quote terms, invoice type, handle spellings

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A quote's discount (折扣, percent off the list price) and its channel (a platform
    # order such as 星图 / 蒲公英, or direct), which agencies price apart; a card's invoice
    # type, which decides whether its VAT is a cost (普票) or deductible (专票). Existing
    # rows had none of these: NULL means "not stated".
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_pct", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
    with op.batch_alter_table("collaborations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invoice_type", sa.String(length=20), nullable=True))
    # Every way an account's handle was written in a list (with @, full-width, other
    # case), kept as history beside the normalised handle.
    op.create_table(
        "handle_spellings",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("spelling", sa.String(length=300), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["platform_accounts.id"],
                                name=op.f("fk_handle_spellings_account_id_platform_accounts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["import_batch_id"], ["import_batches.id"],
                                name=op.f("fk_handle_spellings_import_batch_id_import_batches"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handle_spellings")),
        sa.UniqueConstraint("account_id", "spelling",
                            name=op.f("uq_handle_spellings_account_id_spelling")),
        sa.UniqueConstraint("uid", name=op.f("uq_handle_spellings_uid")),
    )
    op.create_index(op.f("ix_handle_spellings_import_batch_id"), "handle_spellings",
                    ["import_batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_handle_spellings_import_batch_id"), table_name="handle_spellings")
    op.drop_table("handle_spellings")
    with op.batch_alter_table("collaborations", schema=None) as batch_op:
        batch_op.drop_column("invoice_type")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_column("channel")
        batch_op.drop_column("discount_pct")
