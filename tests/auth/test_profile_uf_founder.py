"""The profile's "I run or have run a UF company" box, which the lab goal counts."""

import re

import pytest

from tests.auth.helpers import profile_form, sign_in_quickly
from tests.factories import make_user


@pytest.fixture
def user(session, client):
    user = make_user(session, name="Ulla", locale="en")
    sign_in_quickly(client, session, user)
    return user


def _checkbox(client) -> str:
    """The box's <input> tag as the profile page renders it."""
    page = client.get("/auth/profile").text
    assert '<label for="uf_founder">I run or have run a UF company</label>' in page
    return re.search(r'<input[^>]*name="uf_founder"[^>]*>', page).group(0)


def test_the_box_is_unticked_by_default(client, user):
    assert "checked" not in _checkbox(client)
    assert user.uf_founder is False


def test_ticking_the_box_records_a_uf_founder(client, user):
    response = client.post("/auth/profile", data=profile_form(uf_founder="y", locale="en"))
    assert response.status_code == 302
    assert user.uf_founder is True
    assert "checked" in _checkbox(client)


def test_unticking_the_box_clears_it(client, session, user):
    user.uf_founder = True
    session.flush()
    # A browser leaves an unticked box out of the form altogether.
    response = client.post("/auth/profile", data=profile_form(locale="en"))
    assert response.status_code == 302
    assert user.uf_founder is False
    assert "checked" not in _checkbox(client)
