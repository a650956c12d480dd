"""boards: sessions, panel members, pitch applications and slots, notes, feedback

Revision ID: 0005_boards
Revises: 0001_foundation
Create Date: 2026-11-26 20:46:12.250617

"""

import sqlalchemy as sa
from alembic import op

import eventapp.database

# revision identifiers, used by Alembic.
revision = "0005_boards"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "board_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("slot_count", sa.Integer(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("first_slot_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "applications_close_at", eventapp.database.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "feedback_mode",
            sa.Enum(
                "attributed",
                "anonymous",
                name="board_feedback_mode",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("panel_help", sa.Text(), nullable=False),
        sa.Column("created_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "applications_close_at <= first_slot_at",
            name=op.f("ck_board_sessions_deadline_before_slots"),
        ),
        sa.CheckConstraint(
            "slot_count >= 1 AND slot_count <= 30", name=op.f("ck_board_sessions_slot_count_range")
        ),
        sa.CheckConstraint(
            "slot_minutes >= 5 AND slot_minutes <= 120",
            name=op.f("ck_board_sessions_slot_minutes_range"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_board_sessions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_sessions")),
        sa.UniqueConstraint("event_id", name=op.f("uq_board_sessions_event_id")),
    )
    op.create_table(
        "board_panel_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=200), nullable=True),
        sa.Column("guest_organisation", sa.String(length=200), nullable=True),
        sa.Column("guest_title", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR (guest_name IS NOT NULL AND length(guest_name) > 0)",
            name=op.f("ck_board_panel_members_user_or_guest"),
        ),
        sa.ForeignKeyConstraint(
            ["board_id"],
            ["board_sessions.id"],
            name=op.f("fk_board_panel_members_board_id_board_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_board_panel_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_panel_members")),
    )
    with op.batch_alter_table("board_panel_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_panel_members_board_id"), ["board_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_board_panel_members_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            "uq_board_panel_members_board_user",
            ["board_id", "user_id"],
            unique=True,
            sqlite_where=sa.text("user_id IS NOT NULL"),
            postgresql_where=sa.text("user_id IS NOT NULL"),
        )

    op.create_table(
        "board_pitch_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "position >= 0", name=op.f("ck_board_pitch_slots_position_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["board_id"],
            ["board_sessions.id"],
            name=op.f("fk_board_pitch_slots_board_id_board_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_pitch_slots")),
        sa.UniqueConstraint("board_id", "position", name="uq_board_pitch_slots_board_position"),
        sa.UniqueConstraint("id", "board_id", name="uq_board_pitch_slots_id_board"),
    )
    with op.batch_alter_table("board_pitch_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_pitch_slots_board_id"), ["board_id"], unique=False
        )

    op.create_table(
        "board_pitch_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("organisation_name", sa.String(length=200), nullable=False),
        sa.Column("idea", sa.Text(), nullable=False),
        sa.Column("social_impact", sa.Text(), nullable=False),
        sa.Column("wants_financing", sa.Boolean(), nullable=False),
        sa.Column("wants_customers", sa.Boolean(), nullable=False),
        sa.Column("wants_partners", sa.Boolean(), nullable=False),
        sa.Column("wants_organisation", sa.Boolean(), nullable=False),
        sa.Column("wants_other", sa.Boolean(), nullable=False),
        sa.Column("other_wish", sa.String(length=300), nullable=False),
        sa.Column("accessibility_needs", sa.Text(), nullable=False),
        sa.Column("show_publicly", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "accepted",
                "reserve",
                "declined",
                "withdrawn",
                "confirmed",
                name="board_application_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("reserve_position", sa.Integer(), nullable=True),
        sa.Column("decline_message", sa.Text(), nullable=True),
        sa.Column("decided_at", eventapp.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", eventapp.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", eventapp.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("invite_sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'reserve' AND reserve_position IS NOT NULL AND reserve_position >= 1)"
            " OR (status <> 'reserve' AND reserve_position IS NULL)",
            name=op.f("ck_board_pitch_applications_reserve_position_only_on_reserve"),
        ),
        sa.CheckConstraint(
            "(status IN ('accepted', 'confirmed') AND slot_id IS NOT NULL)"
            " OR (status NOT IN ('accepted', 'confirmed') AND slot_id IS NULL)",
            name=op.f("ck_board_pitch_applications_slot_only_when_accepted"),
        ),
        sa.CheckConstraint(
            "invite_sequence >= 0",
            name=op.f("ck_board_pitch_applications_invite_sequence_not_negative"),
        ),
        sa.CheckConstraint(
            "length(idea) > 0", name=op.f("ck_board_pitch_applications_idea_not_empty")
        ),
        sa.CheckConstraint(
            "length(organisation_name) > 0",
            name=op.f("ck_board_pitch_applications_organisation_not_empty"),
        ),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["users.id"],
            name=op.f("fk_board_pitch_applications_applicant_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["board_id"],
            ["board_sessions.id"],
            name=op.f("fk_board_pitch_applications_board_id_board_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id", "board_id"],
            ["board_pitch_slots.id", "board_pitch_slots.board_id"],
            name="fk_board_pitch_applications_slot_board",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_pitch_applications")),
        sa.UniqueConstraint(
            "board_id", "applicant_id", name="uq_board_pitch_applications_applicant"
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_board_pitch_applications_uid")),
    )
    with op.batch_alter_table("board_pitch_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_pitch_applications_applicant_id"), ["applicant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_board_pitch_applications_board_id"), ["board_id"], unique=False
        )
        batch_op.create_index(
            "uq_board_pitch_applications_reserve",
            ["board_id", "reserve_position"],
            unique=True,
            sqlite_where=sa.text("reserve_position IS NOT NULL"),
            postgresql_where=sa.text("reserve_position IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_board_pitch_applications_slot",
            ["slot_id"],
            unique=True,
            sqlite_where=sa.text("slot_id IS NOT NULL"),
            postgresql_where=sa.text("slot_id IS NOT NULL"),
        )

    op.create_table(
        "board_panel_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("panel_member_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["board_pitch_applications.id"],
            name=op.f("fk_board_panel_notes_application_id_board_pitch_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["panel_member_id"],
            ["board_panel_members.id"],
            name=op.f("fk_board_panel_notes_panel_member_id_board_panel_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_panel_notes")),
        sa.UniqueConstraint(
            "application_id", "panel_member_id", name="uq_board_panel_notes_member"
        ),
    )
    with op.batch_alter_table("board_panel_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_panel_notes_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_board_panel_notes_panel_member_id"), ["panel_member_id"], unique=False
        )

    op.create_table(
        "board_pitch_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("panel_member_id", sa.Integer(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("offers", sa.Text(), nullable=False),
        sa.Column("follow_up_wanted", sa.Boolean(), nullable=False),
        sa.Column("brokered_at", eventapp.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("brokered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", eventapp.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["board_pitch_applications.id"],
            name=op.f("fk_board_pitch_feedback_application_id_board_pitch_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brokered_by_id"],
            ["users.id"],
            name=op.f("fk_board_pitch_feedback_brokered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["panel_member_id"],
            ["board_panel_members.id"],
            name=op.f("fk_board_pitch_feedback_panel_member_id_board_panel_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_pitch_feedback")),
        sa.UniqueConstraint(
            "application_id", "panel_member_id", name="uq_board_pitch_feedback_member"
        ),
    )
    with op.batch_alter_table("board_pitch_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_pitch_feedback_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_board_pitch_feedback_panel_member_id"), ["panel_member_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("board_pitch_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_pitch_feedback_panel_member_id"))
        batch_op.drop_index(batch_op.f("ix_board_pitch_feedback_application_id"))

    op.drop_table("board_pitch_feedback")
    with op.batch_alter_table("board_panel_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_panel_notes_panel_member_id"))
        batch_op.drop_index(batch_op.f("ix_board_panel_notes_application_id"))

    op.drop_table("board_panel_notes")
    with op.batch_alter_table("board_pitch_applications", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_board_pitch_applications_slot",
            sqlite_where=sa.text("slot_id IS NOT NULL"),
            postgresql_where=sa.text("slot_id IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_board_pitch_applications_reserve",
            sqlite_where=sa.text("reserve_position IS NOT NULL"),
            postgresql_where=sa.text("reserve_position IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_board_pitch_applications_board_id"))
        batch_op.drop_index(batch_op.f("ix_board_pitch_applications_applicant_id"))

    op.drop_table("board_pitch_applications")
    with op.batch_alter_table("board_pitch_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_pitch_slots_board_id"))

    op.drop_table("board_pitch_slots")
    with op.batch_alter_table("board_panel_members", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_board_panel_members_board_user",
            sqlite_where=sa.text("user_id IS NOT NULL"),
            postgresql_where=sa.text("user_id IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_board_panel_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_board_panel_members_board_id"))

    op.drop_table("board_panel_members")
    op.drop_table("board_sessions")
