"""Join the branches made on top of 0008_people (breakfasts, privacy, indexes, feeds).

Revision ID: 0014_merge_people_areas
Revises: 0009_breakfasts, 0010_privacy, 0011_indexes, 0012_feeds
"""

revision = "0014_merge_people_areas"
down_revision = ("0009_breakfasts", "0010_privacy", "0011_indexes", "0012_feeds")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
