"""awards part 2: jury, conflicts of interest, scoring, sealed results

Revision ID: 0006_jury
Revises: 0004_awards
Create Date: 2026-11-26 21:20:00

"""
from alembic import op
import sqlalchemy as sa

import eventapp.database

revision = '0006_jury'
down_revision = '0004_awards'
branch_labels = None
depends_on = None


def _enum(name, *values, length=20):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def _role():
    return _enum('award_jury_role', 'juror', 'reserve')


def _tie_type():
    return _enum(
        'award_tie_type', 'board', 'employee_or_owner', 'adviser_or_mentor', 'funder',
        'customer_or_supplier', 'family_or_friend', 'nominator', length=30,
    )


def _sheet_status():
    return _enum('award_sheet_status', 'draft', 'submitted', 'abstained')


# Score history is append-only in the database too, like the audit log.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER award_score_versions_no_update BEFORE UPDATE ON award_score_versions
    BEGIN SELECT RAISE(ABORT, 'award_score_versions is append-only'); END""",
    """CREATE TRIGGER award_score_versions_no_delete BEFORE DELETE ON award_score_versions
    BEGIN SELECT RAISE(ABORT, 'award_score_versions is append-only'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION award_score_versions_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'award_score_versions is append-only'; END $$""",
    """CREATE TRIGGER award_score_versions_append_only BEFORE UPDATE OR DELETE
    ON award_score_versions FOR EACH ROW EXECUTE FUNCTION award_score_versions_refuse()""",
)


def upgrade():
    UTC = eventapp.database.UTCDateTime(timezone=True)
    with op.batch_alter_table('award_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scoring_closed_at', UTC, nullable=True))

    op.create_table('award_jury_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', _role(), nullable=False),
    sa.Column('is_chair', sa.Boolean(), nullable=False),
    sa.Column('appointed_at', UTC, nullable=False),
    sa.Column('appointed_by_id', sa.Integer(), nullable=True),
    sa.Column('reopened_until', UTC, nullable=True),
    sa.Column('last_reminded_on', sa.Date(), nullable=True),
    sa.CheckConstraint("NOT is_chair OR role = 'juror'", name=op.f('ck_award_jury_members_chair_is_juror')),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['users.id'], name=op.f('fk_award_jury_members_appointed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cycle_id'], ['award_cycles.id'], name=op.f('fk_award_jury_members_cycle_id_award_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_award_jury_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_jury_members')),
    sa.UniqueConstraint('cycle_id', 'user_id', name='uq_award_jury_members_cycle_user')
    )
    with op.batch_alter_table('award_jury_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_jury_members_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_jury_members_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_award_jury_members_one_chair', ['cycle_id'], unique=True, sqlite_where=sa.text('is_chair'), postgresql_where=sa.text('is_chair'))

    op.create_table('award_conflict_ties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('org_number', sa.String(length=11), nullable=True),
    sa.Column('tie_type', _tie_type(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.CheckConstraint('length(organisation_name) > 0', name=op.f('ck_award_conflict_ties_name_not_empty')),
    sa.ForeignKeyConstraint(['member_id'], ['award_jury_members.id'], name=op.f('fk_award_conflict_ties_member_id_award_jury_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_conflict_ties'))
    )
    with op.batch_alter_table('award_conflict_ties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_conflict_ties_member_id'), ['member_id'], unique=False)

    op.create_table('award_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('answer', _enum('award_declaration_answer', 'no_conflict', 'conflict', 'unsure'), nullable=False),
    sa.Column('tie_type', _tie_type(), nullable=True),
    sa.Column('declared_at', UTC, nullable=False),
    sa.CheckConstraint("(answer = 'conflict') = (tie_type IS NOT NULL)", name=op.f('ck_award_declarations_conflict_has_tie_type')),
    sa.ForeignKeyConstraint(['dossier_id'], ['award_dossiers.id'], name=op.f('fk_award_declarations_dossier_id_award_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['award_jury_members.id'], name=op.f('fk_award_declarations_member_id_award_jury_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_declarations')),
    sa.UniqueConstraint('member_id', 'dossier_id', name='uq_award_declarations_pair')
    )
    with op.batch_alter_table('award_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_declarations_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_declarations_member_id'), ['member_id'], unique=False)

    op.create_table('award_conflict_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('decision', _enum('award_review_decision', 'pending', 'conflict', 'no_conflict'), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('decided_at', UTC, nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("NOT pinned OR decision = 'conflict'", name=op.f('ck_award_conflict_reviews_pinned_is_conflict')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_award_conflict_reviews_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dossier_id'], ['award_dossiers.id'], name=op.f('fk_award_conflict_reviews_dossier_id_award_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['award_jury_members.id'], name=op.f('fk_award_conflict_reviews_member_id_award_jury_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_conflict_reviews')),
    sa.UniqueConstraint('member_id', 'dossier_id', name='uq_award_conflict_reviews_pair')
    )
    with op.batch_alter_table('award_conflict_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_conflict_reviews_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_conflict_reviews_member_id'), ['member_id'], unique=False)

    op.create_table('award_score_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('status', _sheet_status(), nullable=False),
    sa.Column('abstain_reason', sa.String(length=1000), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    sa.Column('submitted_at', UTC, nullable=True),
    sa.CheckConstraint("status <> 'abstained' OR (abstain_reason IS NOT NULL AND length(abstain_reason) > 0)", name=op.f('ck_award_score_sheets_abstain_has_reason')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_award_score_sheets_version_positive')),
    sa.ForeignKeyConstraint(['dossier_id'], ['award_dossiers.id'], name=op.f('fk_award_score_sheets_dossier_id_award_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['award_jury_members.id'], name=op.f('fk_award_score_sheets_member_id_award_jury_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_score_sheets')),
    sa.UniqueConstraint('member_id', 'dossier_id', name='uq_award_score_sheets_pair')
    )
    with op.batch_alter_table('award_score_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_score_sheets_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_score_sheets_member_id'), ['member_id'], unique=False)

    op.create_table('award_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint('value IS NULL OR (value >= 1 AND value <= 5)', name=op.f('ck_award_scores_value_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['award_criteria.id'], name=op.f('fk_award_scores_criterion_id_award_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dossier_id'], ['award_dossiers.id'], name=op.f('fk_award_scores_dossier_id_award_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['award_jury_members.id'], name=op.f('fk_award_scores_member_id_award_jury_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['award_score_sheets.id'], name=op.f('fk_award_scores_sheet_id_award_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_scores')),
    sa.UniqueConstraint('member_id', 'dossier_id', 'criterion_id', name='uq_award_scores_current')
    )
    with op.batch_alter_table('award_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_scores_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_scores_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_scores_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_scores_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('award_score_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', _sheet_status(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('saved_at', UTC, nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['sheet_id'], ['award_score_sheets.id'], name=op.f('fk_award_score_versions_sheet_id_award_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_score_versions')),
    sa.UniqueConstraint('sheet_id', 'version', name='uq_award_score_versions_sheet_version')
    )
    with op.batch_alter_table('award_score_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_score_versions_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('award_tie_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('above_id', sa.Integer(), nullable=False),
    sa.Column('below_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('recorded_at', UTC, nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('above_id <> below_id', name=op.f('ck_award_tie_decisions_two_nominations')),
    sa.ForeignKeyConstraint(['above_id'], ['award_dossiers.id'], name=op.f('fk_award_tie_decisions_above_id_award_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['below_id'], ['award_dossiers.id'], name=op.f('fk_award_tie_decisions_below_id_award_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cycle_id'], ['award_cycles.id'], name=op.f('fk_award_tie_decisions_cycle_id_award_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_award_tie_decisions_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_tie_decisions')),
    sa.UniqueConstraint('cycle_id', 'above_id', 'below_id', name='uq_award_tie_decisions_pair')
    )
    with op.batch_alter_table('award_tie_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_tie_decisions_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('award_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', UTC, nullable=False),
    sa.Column('computed_by_id', sa.Integer(), nullable=True),
    sa.Column('algorithm_version', sa.String(length=40), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('snapshot_hash', sa.String(length=64), nullable=False),
    sa.Column('lot_seed', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=True),
    sa.Column('named_finalist_ids', sa.JSON(), nullable=False),
    sa.Column('published_at', UTC, nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(snapshot_hash) = 64', name=op.f('ck_award_results_hash_is_sha256')),
    sa.ForeignKeyConstraint(['computed_by_id'], ['users.id'], name=op.f('fk_award_results_computed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cycle_id'], ['award_cycles.id'], name=op.f('fk_award_results_cycle_id_award_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_award_results_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_results'))
    )
    with op.batch_alter_table('award_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_results_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index('uq_award_results_one_published', ['cycle_id'], unique=True, sqlite_where=sa.text('published_at IS NOT NULL'), postgresql_where=sa.text('published_at IS NOT NULL'))

    if op.get_bind().dialect.name == 'postgresql':
        for statement in POSTGRES_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS award_score_versions_append_only ON award_score_versions')
        op.execute('DROP FUNCTION IF EXISTS award_score_versions_refuse()')
    else:
        op.execute('DROP TRIGGER IF EXISTS award_score_versions_no_update')
        op.execute('DROP TRIGGER IF EXISTS award_score_versions_no_delete')
    for table in (
        'award_results', 'award_tie_decisions', 'award_score_versions', 'award_scores',
        'award_score_sheets', 'award_conflict_reviews', 'award_declarations',
        'award_conflict_ties', 'award_jury_members',
    ):
        op.drop_table(table)
    with op.batch_alter_table('award_cycles', schema=None) as batch_op:
        batch_op.drop_column('scoring_closed_at')
