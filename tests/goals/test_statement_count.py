"""No query per row: GET /goals/ sends as many statements with much more data as with little.

The count may grow with the number of years asked for (the breakfast report is asked once per
year), never with the number of events, sign-ups, organisations, pitches or award years.
"""

from __future__ import annotations

from eventapp.calendar.models import Attendance, EventKind
from eventapp.extensions import db
from eventapp.regions import MUNICIPALITIES, OrganisationType
from tests.factories import make_user
from tests.goals.helpers import (
    board_with_pitches,
    held,
    local,
    person,
    publish_award,
    sign,
    social_org,
)
from tests.querycount import count_queries

PERIOD = "/goals/?from_year=2023&to_year=2025"


def _add_activity(session, times: int, offset: int) -> None:
    """``times`` rounds of every kind of thing the dashboard counts, spread over the years."""
    for round_ in range(times):
        day = 1 + (offset + round_) % 27
        for year in (2023, 2024, 2025):
            organisation = social_org(
                session,
                local(year, 3, day),
                org_type=list(OrganisationType)[round_ % len(OrganisationType)],
                municipality=MUNICIPALITIES[(offset + round_) % len(MUNICIPALITIES)],
            )
            people = [
                person(session, organisation=organisation, uf_founder=bool(n % 2)) for n in range(3)
            ]
            for kind in (EventKind.LAB, EventKind.BREAKFAST, EventKind.OTHER):
                event = held(session, kind, starts_at=local(year, 4, day, 9))
                for number, someone in enumerate(people):
                    attendance = Attendance.PRESENT if number else Attendance.ABSENT
                    sign(session, event, someone, attendance)
            board_with_pitches(
                session,
                local(year, 5, day, 13),
                people[:2],
                feedback=[("Kontakt", True, bool(round_ % 2)), ("", True, False)],
            )


def _count_statements(app, session, client) -> int:
    session.expire_all()  # as a fresh request would: nothing comes from the identity map
    with count_queries(db.engine) as counter:
        response = client.get(PERIOD)
    assert response.status_code == 200
    return counter.count


def test_the_dashboard_sends_the_same_number_of_statements_with_more_data(
    app, session, client, auth
):
    auth.login_as(make_user(session, "organiser"))
    publish_award(session, 2023, "Första vinnaren")
    _add_activity(session, 1, 0)
    small = _count_statements(app, session, client)

    publish_award(session, 2024, "Andra vinnaren")
    publish_award(session, 2025, None)
    _add_activity(session, 4, 1)
    large = _count_statements(app, session, client)
    assert small == large
    assert small > 10  # the listener saw the page's queries
