"""signups and labs: sign-up window on events, sign-ups, lab series and sessions

Revision ID: 0002_signups_labs
Revises: 0001_foundation
Create Date: 2026-11-26 20:50:00

"""
from alembic import op
import sqlalchemy as sa

import eventapp.database

# revision identifiers, used by Alembic.
revision = '0002_signups_labs'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

MUNICIPALITIES = (
    'Avesta', 'Borlänge', 'Falun', 'Gagnef', 'Hedemora', 'Leksand', 'Ludvika', 'Malung-Sälen',
    'Mora', 'Orsa', 'Rättvik', 'Smedjebacken', 'Säter', 'Vansbro', 'Älvdalen', 'utanför Dalarna',
)
ACTIVE = "status IN ('confirmed', 'waitlisted')"


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_opens_at', eventapp.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('registration_closes_at', eventapp.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancellation_deadline', eventapp.database.UTCDateTime(timezone=True), nullable=True))

    op.create_table('signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'waitlisted', 'cancelled', name='signup_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancellation_reason', sa.String(length=1000), nullable=True),
    sa.Column('attendance', sa.Enum('unmarked', 'present', 'absent', 'excused', name='attendance', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('attendance_marked_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attendance_marked_by_id', sa.Integer(), nullable=True),
    sa.Column('show_in_participant_list', sa.Boolean(), nullable=False),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_signups_cancelled_has_time')),
    sa.CheckConstraint("attendance = 'unmarked' OR status = 'confirmed'", name=op.f('ck_signups_attendance_only_confirmed')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_signups_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signups_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_signups_cancelled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['attendance_marked_by_id'], ['users.id'], name=op.f('fk_signups_attendance_marked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signups'))
    )
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signups_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_signups_event_status_order', ['event_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('uq_signups_active_event_user', ['event_id', 'user_id'], unique=True,
                              sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))

    op.create_table('lab_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('target_group', sa.String(length=300), nullable=False),
    sa.Column('facilitator', sa.String(length=200), nullable=False),
    sa.Column('default_capacity', sa.Integer(), nullable=True),
    sa.Column('default_place', sa.String(length=200), nullable=False),
    sa.Column('default_address', sa.String(length=300), nullable=False),
    sa.Column('municipality', sa.Enum(*MUNICIPALITIES, name='municipality', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('is_cancelled', sa.Boolean(), nullable=False),
    sa.Column('cancelled_at', eventapp.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventapp.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('default_capacity IS NULL OR (default_capacity >= 1 AND default_capacity <= 10000)', name=op.f('ck_lab_series_default_capacity_range')),
    sa.CheckConstraint('length(title) > 0', name=op.f('ck_lab_series_title_not_empty')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lab_series_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_series'))
    )

    op.create_table('lab_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_lab_sessions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['lab_series.id'], name=op.f('fk_lab_sessions_series_id_lab_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_sessions')),
    sa.UniqueConstraint('event_id', name=op.f('uq_lab_sessions_event_id'))
    )
    with op.batch_alter_table('lab_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_sessions_series_id'), ['series_id'], unique=False)


def downgrade():
    with op.batch_alter_table('lab_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_sessions_series_id'))
    op.drop_table('lab_sessions')
    op.drop_table('lab_series')
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_index('uq_signups_active_event_user')
        batch_op.drop_index('ix_signups_event_status_order')
        batch_op.drop_index(batch_op.f('ix_signups_user_id'))
    op.drop_table('signups')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('cancellation_deadline')
        batch_op.drop_column('registration_closes_at')
        batch_op.drop_column('registration_opens_at')
