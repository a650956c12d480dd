"""feeds: secret calendar-feed links (personal feeds and organisers' saved selections)

Revision ID: 0003_feeds
Revises: 0001_foundation
Create Date: 2026-11-27 10:00:00

"""
from alembic import op
import sqlalchemy as sa

import eventapp.database

# revision identifiers, used by Alembic.
revision = '0003_feeds'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

ACTIVE_PERSONAL = "purpose = 'personal' AND revoked_at IS NULL"


def upgrade():
    op.create_table(
        'feed_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.Enum('personal', 'selection', name='feed_purpose',
                                     native_enum=False, create_constraint=True, length=20),
                  nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('filter_query', sa.String(length=500), nullable=True),
        sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint('length(token_hash) = 64',
                           name=op.f('ck_feed_tokens_token_hash_is_sha256')),
        sa.CheckConstraint("(purpose = 'selection') = (filter_query IS NOT NULL)",
                           name=op.f('ck_feed_tokens_selection_has_filter')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_feed_tokens_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash')),
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_feed_tokens_active_personal', ['user_id'], unique=True,
                              sqlite_where=sa.text(ACTIVE_PERSONAL),
                              postgresql_where=sa.text(ACTIVE_PERSONAL))


def downgrade():
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index('uq_feed_tokens_active_personal')
        batch_op.drop_index(batch_op.f('ix_feed_tokens_user_id'))
    op.drop_table('feed_tokens')
