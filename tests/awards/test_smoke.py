from tests.awards.helpers import form_data, make_cycle


def test_public_page_with_open_window_shows_form(client, session):
    cycle = make_cycle(session)
    page = client.get("/awards/")
    assert page.status_code == 200
    assert "Social impact" in page.text
    response = client.post("/awards/", data=form_data(cycle))
    assert response.status_code == 302, response.text
