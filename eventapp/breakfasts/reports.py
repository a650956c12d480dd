"""The region's repeat-attendance goal: how many social entrepreneurs keep coming back to
the business networks' breakfasts.

``repeat_attendance`` is the one rule; the breakfast report page and the goals dashboard
both call it. It runs a fixed number of SQL statements (three) whatever the number of
breakfasts or people: everything is counted and grouped in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from eventapp.auth.models import Organisation, User, social_organisation_condition
from eventapp.breakfasts.models import BreakfastOccurrence, BreakfastSeries
from eventapp.calendar.models import Attendance, Event, EventKind, EventStatus, Signup
from eventapp.database import utcnow
from eventapp.i18n import STOCKHOLM
from eventapp.regions import OrganisationType

# The action plan's target: at least ten social entrepreneurs attending repeatedly.
REPEAT_ATTENDANCE_GOAL = 10
DEFAULT_MIN_COUNT = 3
DELETED_USER_LABEL = _l("Deleted user")


@dataclass(frozen=True)
class RepeatAttendee:
    """A social entrepreneur who attended at least ``min_count`` breakfasts in the period."""

    user_id: int
    name: str
    organisation_name: str | None
    municipality: str | None
    attended: int
    is_deleted: bool = False


@dataclass(frozen=True)
class AttendanceReport:
    """The figures of one period and filter; ``goal_met`` when the repeat count reaches it."""

    start: date
    end: date
    min_count: int
    distinct_attendees: int
    breakfasts_held: int
    repeat_social_entrepreneurs: list[RepeatAttendee] = field(default_factory=list)
    goal: int = REPEAT_ATTENDANCE_GOAL
    municipality: str | None = None
    network_id: int | None = None
    org_type: OrganisationType | None = None

    @property
    def repeat_count(self) -> int:
        return len(self.repeat_social_entrepreneurs)

    @property
    def goal_met(self) -> bool:
        return self.repeat_count >= self.goal

    @property
    def progress_percent(self) -> int:
        """Progress toward the goal, 0-100 (capped: more than the goal is still 100 %)."""
        if self.goal <= 0:
            return 100
        return min(100, round(100 * self.repeat_count / self.goal))


def stockholm_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants from the start of ``start`` to the end of ``end``, Stockholm days."""
    lower = datetime.combine(start, time.min, STOCKHOLM)
    upper = datetime.combine(end + timedelta(days=1), time.min, STOCKHOLM)
    return lower, upper


def _held_breakfasts(
    start: date,
    end: date,
    *,
    municipality: str | None,
    network_id: int | None,
    now: datetime,
):
    """Condition on ``Event``: breakfasts that took place in the period (not cancelled,
    already started), optionally in one municipality or hosted by one network."""
    lower, upper = stockholm_day_bounds(start, end)
    conditions = [
        Event.kind == EventKind.BREAKFAST,
        Event.status == EventStatus.SCHEDULED,
        Event.starts_at >= lower,
        Event.starts_at < upper,
        Event.starts_at <= now,
    ]
    if municipality:
        conditions.append(Event.municipality == municipality)
    if network_id is not None:
        hosted = (
            select(BreakfastOccurrence.event_id)
            .join(BreakfastSeries, BreakfastSeries.id == BreakfastOccurrence.series_id)
            .where(BreakfastSeries.network_id == network_id)
        )
        conditions.append(Event.id.in_(hosted))
    return and_(*conditions)


def repeat_attendance(
    session: Session,
    *,
    start: date,
    end: date,
    min_count: int = DEFAULT_MIN_COUNT,
    municipality: str | None = None,
    network_id: int | None = None,
    org_type: OrganisationType | None = None,
    now: datetime | None = None,
) -> AttendanceReport:
    """Count breakfast attendance in ``[start, end]`` (Stockholm days) and the goal's figure.

    Attendance is a confirmed sign-up marked present on a breakfast that was not cancelled.
    ``municipality`` and ``network_id`` filter the breakfasts; ``org_type`` filters the
    people by their organisation's type. Deleted accounts still count (the person came)
    but are listed as "Deleted user". Always three statements.
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    now = now or utcnow()
    held = _held_breakfasts(start, end, municipality=municipality, network_id=network_id, now=now)
    breakfasts_held = session.scalar(select(func.count(Event.id)).where(held)) or 0

    present = (
        select(Signup.user_id.label("user_id"), func.count(Signup.id).label("attended"))
        .join(Event, Event.id == Signup.event_id)
        .where(held, Signup.attendance == Attendance.PRESENT)
        .group_by(Signup.user_id)
    )
    if org_type is not None:
        present = present.join(User, User.id == Signup.user_id).join(
            Organisation, Organisation.id == User.organisation_id
        )
        present = present.where(Organisation.org_type == org_type)
    per_person = present.subquery()

    distinct_attendees = session.scalar(select(func.count()).select_from(per_person)) or 0

    rows = session.execute(
        select(
            User.id,
            User.name,
            User.deleted_at,
            Organisation.name,
            Organisation.municipality,
            per_person.c.attended,
        )
        .join(per_person, per_person.c.user_id == User.id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(social_organisation_condition(), per_person.c.attended >= min_count)
        .order_by(per_person.c.attended.desc(), User.name, User.id)
    ).all()
    repeaters = [
        RepeatAttendee(
            user_id=user_id,
            name=str(DELETED_USER_LABEL) if deleted_at is not None else name,
            organisation_name=organisation_name,
            municipality=home,
            attended=int(attended),
            is_deleted=deleted_at is not None,
        )
        for user_id, name, deleted_at, organisation_name, home, attended in rows
    ]
    return AttendanceReport(
        start=start,
        end=end,
        min_count=min_count,
        distinct_attendees=int(distinct_attendees),
        breakfasts_held=int(breakfasts_held),
        repeat_social_entrepreneurs=repeaters,
        municipality=municipality,
        network_id=network_id,
        org_type=org_type,
    )
