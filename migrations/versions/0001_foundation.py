"""foundation: users, organisations, events, outbox

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-26 20:03:37.484816

"""
from alembic import op
import sqlalchemy as sa

import eventapp.database


# revision identifiers, used by Alembic.
revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('org_number', sa.String(length=11), nullable=True),
    sa.Column('org_type', sa.Enum('work_integration', 'cooperative', 'nonprofit', 'limited_company', 'uf_company', 'other', name='organisation_type', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('municipality', sa.Enum('Avesta', 'Borlänge', 'Falun', 'Gagnef', 'Hedemora', 'Leksand', 'Ludvika', 'Malung-Sälen', 'Mora', 'Orsa', 'Rättvik', 'Smedjebacken', 'Säter', 'Vansbro', 'Älvdalen', 'utanför Dalarna', name='municipality', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('year_founded', sa.Integer(), nullable=True),
    sa.Column('marked_social_enterprise', sa.Boolean(), nullable=False),
    sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_organisations_name_not_empty')),
    sa.CheckConstraint('year_founded IS NULL OR (year_founded >= 1800 AND year_founded <= 2100)', name=op.f('ck_organisations_year_founded_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index('uq_organisations_org_number', ['org_number'], unique=True, sqlite_where=sa.text('org_number IS NOT NULL'), postgresql_where=sa.text('org_number IS NOT NULL'))

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=250), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('ics_data', sa.LargeBinary(), nullable=True),
    sa.Column('ics_method', sa.String(length=20), nullable=True),
    sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_messages_attempts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_messages_dedup_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_sent_at'), ['sent_at'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('email_confirmed_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('password_changed_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("locale IN ('sv', 'en')", name=op.f('ck_users_locale_known')),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_users_name_not_empty')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_users_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('lab', 'board', 'breakfast', 'award', 'other', name='event_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('municipality', sa.Enum('Avesta', 'Borlänge', 'Falun', 'Gagnef', 'Hedemora', 'Leksand', 'Ludvika', 'Malung-Sälen', 'Mora', 'Orsa', 'Rättvik', 'Smedjebacken', 'Säter', 'Vansbro', 'Älvdalen', 'utanför Dalarna', name='municipality', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('starts_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='event_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('cancelled_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancellation_reason', sa.String(length=1000), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR (capacity >= 1 AND capacity <= 10000)', name=op.f('ck_events_capacity_range')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('length(title) > 0', name=op.f('ck_events_title_not_empty')),
    sa.CheckConstraint('seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)', name=op.f('ck_events_seats_within_capacity')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_events_sequence_not_negative')),
    sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], name=op.f('fk_events_organiser_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('uid', name=op.f('uq_events_uid'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_kind_starts_at', ['kind', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_municipality'), ['municipality'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index('ix_events_status_starts_at', ['status', 'starts_at'], unique=False)

    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_sessions_token_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('user_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('entrepreneur', 'juror', 'panelist', 'organiser', 'admin', name='role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('granted_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_roles')),
    sa.UniqueConstraint('user_id', 'role', name='uq_user_roles_user_role')
    )



def downgrade():
    
    op.drop_table('user_roles')
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_status_starts_at')
        batch_op.drop_index(batch_op.f('ix_events_organiser_id'))
        batch_op.drop_index(batch_op.f('ix_events_municipality'))
        batch_op.drop_index('ix_events_kind_starts_at')

    op.drop_table('events')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_organisation_id'))

    op.drop_table('users')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_sent_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_created_at'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index('uq_organisations_org_number', sqlite_where=sa.text('org_number IS NOT NULL'), postgresql_where=sa.text('org_number IS NOT NULL'))

    op.drop_table('organisations')

