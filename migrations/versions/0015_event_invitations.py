"""event invitations: who was invited to which event, kept until the event is over

Revision ID: 0015_event_invitations
Revises: 0014_merge_people_areas
Create Date: 2026-12-03

"""

import sqlalchemy as sa
from alembic import op

import eventapp.database

# revision identifiers, used by Alembic.
revision = "0015_event_invitations"
down_revision = "0014_merge_people_areas"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_invitations_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_invitations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_invitations")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_invitations_event_id")),
    )
    with op.batch_alter_table("event_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_invitations_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("event_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_invitations_user_id"))
    op.drop_table("event_invitations")
