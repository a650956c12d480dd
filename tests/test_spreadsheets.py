"""The one CSV writer every export uses (eventapp/spreadsheets.py)."""

import csv
import io

import pytest

from eventapp.spreadsheets import csv_download, csv_text, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+46701234567", "'+46701234567"),
        ("-2+3", "'-2+3"),
        ("-1", "-1"),
        ("-0,75", "-0,75"),
        ("-0.75", "'-0.75"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Åsa Öberg", "Åsa Öberg"),
        ("", ""),
        (None, ""),
        (3, 3),
    ],
)
def test_safe_cell_defuses_formulas_but_keeps_swedish_negative_numbers(value, expected):
    assert safe_cell(value) == expected


def test_csv_text_is_what_swedish_excel_reads():
    text = csv_text([["Namn", "Ort"], ["Åsa; Öberg", "=1+1"], [], [-3, "-1,5"]])
    assert text.startswith("\ufeff")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Namn", "Ort"], ["Åsa; Öberg", "'=1+1"], [], ["-3", "-1,5"]]


def test_csv_download_is_an_uncached_attachment(app):
    with app.test_request_context():
        response = csv_download([["a"]], "lista.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="lista.csv"'
    assert "no-store" in response.headers["Cache-Control"]
