"""Query discipline: no page's statement count grows with the data (no N+1).

For every GET route of the route matrix (tests/route_matrix/*) and every role that gets a
200 there, the number of SQL statements one request sends is recorded on the matrix's world,
then again after several times more data has been added: more events of every kind, sign-ups
(also by the signed-in people), lab sessions, nominations, jury dossiers with declarations
and scores, board applications (every area's ``build`` runs again), and people. The counts
must be equal. Pages that other areas add later are covered as soon as they are in the
matrix.

The feed cache is emptied before each request, so the feeds' rendering path is what is
counted, not a cache hit.
"""

from __future__ import annotations

from eventapp.calendar.services import sign_up
from eventapp.extensions import db
from tests.factories import make_event, make_user
from tests.querycount import count_queries
from tests.route_matrix import ROLES, World, all_areas, all_routes
from tests.test_route_matrix import EXTRA_ROLES, build_world, sign_in

# The "small" world is the matrix's world plus one round of growth, so every list a page
# shows has at least one row (an eager load that only runs for a non-empty list is then
# counted in both); the "large" one has this many rounds more.
GROWTH = 3


def _get_routes_with_roles():
    for route in all_routes():
        if route.method != "GET":
            continue
        roles = [role for role in ROLES if route.expected(role) == 200]
        if roles:
            yield route, roles


def _clear_caches(app) -> None:
    from eventapp import cache

    cache.clear_all(app)


def _measure(app, session, world) -> dict[tuple[str, str, str], tuple[int, str]]:
    counts = {}
    for route, roles in _get_routes_with_roles():
        for role in roles:
            client = app.test_client()
            if role != "anonymous":
                sign_in(client, session, world.users[role])
            url = route.url(world)
            _clear_caches(app)
            # Requests share the test's session: without this, objects the test made would
            # come from its identity map for free and hide lazy loads.
            session.expire_all()
            with count_queries(db.engine) as counter:
                response = client.get(url)
            assert response.status_code == 200, (route.endpoint, url, role)
            counts[(route.endpoint, url, role)] = (counter.count, counter.summary())
    return counts


def _grow(session, world: World, rounds: range) -> None:
    """Add more of the data the matrix's world holds, much of it on its own objects."""
    for round_ in rounds:
        extra = World(users={r: make_user(session, roles=EXTRA_ROLES[r]) for r in ROLES})
        extra.role = "entrepreneur"
        for area in all_areas():
            area.build(session, extra)
        # Upcoming public events of every kind, each with sign-ups from the matrix's people.
        for kind in ("lab", "board", "breakfast", "award", "other"):
            for municipality in ("Falun", "Mora"):
                event = make_event(session, kind=kind, municipality=municipality, capacity=3)
                for user in world.users.values():
                    sign_up(session, event, user)
        # More people on the matrix's own events (confirmed and on the waiting list).
        for name in ("event", "signup_event", "signup_today", "feed_event"):
            event = getattr(world, name, None)
            if event is not None and not event.is_cancelled:
                for _ in range(3):
                    sign_up(session, event, make_user(session))
        _grow_labs(session, world)
        _grow_awards(session, world, round_)
    session.flush()


def _grow_labs(session, world: World) -> None:
    series = getattr(world, "lab_series", None)
    if series is None:
        return
    from tests.labs.helpers import make_lab_session

    for _ in range(3):
        lab = make_lab_session(session, series)
        sign_up(session, lab.event, make_user(session))
    if getattr(world, "lab_session", None) is not None:
        sign_up(session, world.lab_session.event, make_user(session))


def _grow_awards(session, world: World, round_: int) -> None:
    from tests.awards.helpers import nominate_counted
    from tests.awards.jury_helpers import appoint, declare, make_jury_dossier, score

    cycle = getattr(world, "award_cycle", None)
    if cycle is not None:
        for number in range(3):
            nominate_counted(
                session,
                cycle,
                enterprise_name=f"Tillväxt {round_}-{number} AB",
                nominator_email=f"grow{round_}{number}@example.org",
            )
    jury_cycle = getattr(world, "jury_cycle", None)
    member = getattr(world, "jury_member", None)
    if jury_cycle is None or member is None:
        return
    colleague = appoint(session, jury_cycle)
    for number in range(3):
        _ = jury_cycle.criteria  # load before the new dossier exists (autoflush warns)
        dossier = make_jury_dossier(session, jury_cycle, f"Jury tillväxt {round_}-{number}")
        for juror in (member, colleague):
            declare(session, juror, dossier)
        score(session, colleague, dossier, [4] * len(jury_cycle.criteria))
        if number:
            score(session, member, dossier, [3] * len(jury_cycle.criteria))


def test_page_query_counts_do_not_grow_with_the_data(app, session):
    world = build_world(session)
    _grow(session, world, range(1))
    before = _measure(app, session, world)
    _grow(session, world, range(1, 1 + GROWTH))
    after = _measure(app, session, world)
    grown = [
        f"{endpoint} {url} as {role}: {before[key][0]} -> {after[key][0]} statements\n"
        f"{after[key][1]}"
        for key in before
        for endpoint, url, role in [key]
        # Fewer is fine: a page may skip work the first request cached in the database.
        if after[key][0] > before[key][0]
    ]
    assert not grown, "statement counts grew with the data (N+1?):\n" + "\n".join(grown)


def test_the_counter_sees_an_n_plus_one(app, session):
    """Negative control: lazy loading per row is counted, so the test above can fail."""
    from eventapp.calendar.models import Signup

    event = make_event(session, capacity=10)
    for _ in range(3):
        sign_up(session, event, make_user(session))
    session.expire_all()
    with count_queries(db.engine) as few:
        rows = session.scalars(db.select(Signup).where(Signup.event_id == event.id)).all()
        [row.user.name for row in rows]
    for _ in range(3):
        sign_up(session, event, make_user(session))
    session.expire_all()
    with count_queries(db.engine) as many:
        rows = session.scalars(db.select(Signup).where(Signup.event_id == event.id)).all()
        [row.user.name for row in rows]
    # Three more sign-ups, at least three more statements: one lazy load (or more) each.
    assert many.count - few.count >= 3
