"""The Swedish catalogue is complete: every source string has a Swedish text.

The source strings are extracted from the code with Babel's API, the same way
``scripts/translations.py`` does (babel.cfg, the ``_l``/``lazy_gettext`` keywords, templates
in ``_macros``/``_partials`` included). The test reads the catalogue; it never writes it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eventapp"
CATALOGUE = PACKAGE / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]")


def _msgid(message_id) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _strings(string) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)


def _skip_hidden(path: str) -> bool:
    # Like scripts/translations.py: only hidden folders and __pycache__ are skipped, so the
    # templates in _macros/ and _partials/ are read.
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


@cache
def source_strings() -> dict[str, str]:
    """msgid -> the file it was first found in."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(ROOT / "babel.cfg"))
    found: dict[str, str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=_skip_hidden,
    ):
        found.setdefault(_msgid(message), filename)
    return found


@cache
def catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="sv")


def _messages():
    return [message for message in catalogue() if message.id]


def test_extraction_finds_the_source_strings():
    strings = source_strings()
    assert len(strings) > 100
    assert "Upcoming events" in strings  # a template
    assert "Wrong e-mail address or password." in strings  # _l() in a service
    assert "Please correct the following" in strings  # templates/_macros/


def test_every_source_string_is_in_the_catalogue():
    known = {_msgid(message.id) for message in _messages()}
    missing = sorted(
        f"{msgid!r} ({where})" for msgid, where in source_strings().items() if msgid not in known
    )
    assert not missing, (
        f"{len(missing)} source strings are not in messages.po; run "
        "`python scripts/translations.py update`:\n" + "\n".join(missing[:50])
    )


def test_every_msgid_has_a_swedish_text_that_is_not_fuzzy():
    untranslated = []
    for message in _messages():
        strings = _strings(message.string)
        if message.fuzzy or not all(text.strip() for text in strings):
            untranslated.append(repr(_msgid(message.id)))
    assert not untranslated, (
        f"{len(untranslated)} strings have no Swedish text (or a fuzzy one); see "
        "`python scripts/translations.py missing`:\n" + "\n".join(untranslated[:50])
    )


def test_placeholders_in_swedish_match_the_english():
    wrong = []
    for message in _messages():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = _strings(message.string)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_compiled_catalogue_matches_the_po_file():
    """The app reads messages.mo; a translation added to the .po but not compiled is lost."""
    with COMPILED.open("rb") as handle:
        compiled = {_msgid(m.id): _strings(m.string) for m in read_mo(handle) if m.id}
    stale = [
        repr(_msgid(message.id))
        for message in _messages()
        if all(_strings(message.string))
        and not message.fuzzy
        and compiled.get(_msgid(message.id)) != _strings(message.string)
    ]
    assert not stale, (
        "messages.mo is older than messages.po; run `python scripts/translations.py compile`:\n"
        + "\n".join(stale[:50])
    )


@pytest.mark.parametrize("text", ["%(name)s", "%(max)d", "%(when)s"])
def test_placeholder_pattern(text):
    assert PLACEHOLDER.findall(f"a {text} b")
