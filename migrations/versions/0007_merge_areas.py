"""Join the area branches (sign-ups and labs, feeds, award, boards, jury) into one head.

Revision ID: 0007_merge_areas
Revises: 0002_signups_labs, 0003_feeds, 0005_boards, 0006_jury
"""

revision = "0007_merge_areas"
down_revision = ("0002_signups_labs", "0003_feeds", "0005_boards", "0006_jury")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
