"""feeds: feed_renders, when each secret link's body last changed (content-based Last-Modified)

Revision ID: 0012_feeds
Revises: 0008_people
Create Date: 2026-11-27 00:08:36.414499

"""

import sqlalchemy as sa
from alembic import op

import eventapp.database

# revision identifiers, used by Alembic.
revision = "0012_feeds"
down_revision = "0008_people"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_renders",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("changed_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(etag) = 40", name=op.f("ck_feed_renders_etag_length")),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["feed_tokens.id"],
            name=op.f("fk_feed_renders_token_id_feed_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_feed_renders")),
    )


def downgrade():
    op.drop_table("feed_renders")
