"""indexes: events by end time and by last change, user roles by role

Revision ID: 0011_indexes
Revises: 0008_people
Create Date: 2026-11-27

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0011_indexes"
down_revision = "0008_people"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_status_ends_at", ["status", "ends_at"], unique=False)
        batch_op.create_index("ix_events_updated_at", ["updated_at"], unique=False)
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.create_index("ix_user_roles_role", ["role"], unique=False)


def downgrade():
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.drop_index("ix_user_roles_role")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_updated_at")
        batch_op.drop_index("ix_events_status_ends_at")
