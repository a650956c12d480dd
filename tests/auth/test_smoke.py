from tests.factories import make_event, make_user


def test_register_login_logout(client, auth, session):
    user = make_user(session, email="asa@example.org")
    make_event(session, title="Designtänkande")
    assert auth.login_as(user).location == "/"
    page = client.get("/")
    assert "Designtänkande" in page.text
    assert auth.logout().status_code == 302
