"""The goals demo gives every indicator something to show, and its award years are real."""

from sqlalchemy import select

from eventapp.awards.models import AwardCycle
from eventapp.awards.results import public_results
from eventapp.database import utcnow
from eventapp.goals import indicators
from eventapp.goals.demo import seed_goals
from eventapp.i18n import STOCKHOLM
from tests.factories import make_user


def test_seed_goals_fills_every_indicator(session):
    organiser = make_user(session, "organiser")
    for number in range(1, 21):  # the labs demo's participants, without slow hashing
        make_user(session, email=f"deltagare{number}@example.org")
    seed_goals(session, organiser)
    seed_goals(session, organiser)  # a second run adds nothing

    this_year = utcnow().astimezone(STOCKHOLM).year
    period = indicators.Period(this_year - 3, this_year - 1)
    dashboard = indicators.dashboard(session, period)
    past_years = [figure.value for figure in dashboard.labs.labs]
    assert all(past_years) and sum(past_years) < 20
    assert all(figure.value for figure in dashboard.labs.uf_founders)
    assert all(figure.value for figure in dashboard.breakfasts.repeat_social_entrepreneurs)
    assert any(figure.met for figure in dashboard.organisations.registered)
    assert all(figure.value for figure in dashboard.boards.pitchers)
    assert any(figure.value for figure in dashboard.boards.brokered)
    assert [figure.value for figure in dashboard.award.given][:2] == [1, 1]
    winners = {row.year: row.winner for row in dashboard.award.rows}
    assert winners[this_year - 3] != winners[this_year - 2]
    places = [row for row in dashboard.participation.municipalities if row.at_events_here]
    assert len(places) >= 5

    # The demo's award years read like real ones on the public results page.
    cycle = session.scalar(select(AwardCycle).where(AwardCycle.year == this_year - 3))
    assert public_results(session, cycle)["winner"].name == winners[this_year - 3]
