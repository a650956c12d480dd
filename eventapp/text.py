"""Clean-up of text that people type: NFC, no invisible or direction-changing characters."""

import re
import unicodedata

# Zero-width characters, bidi embeddings/overrides/isolates and the BOM: they can hide
# text or reorder a page, and have no business in a name, a title or a place.
_INVISIBLE = re.compile("[\u200b-\u200d\u200e\u200f\u2060-\u2064\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")


def clean_line(value: str | None) -> str | None:
    """Normalise a one-line value: NFC, invisible marks removed, whitespace collapsed."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    value = _INVISIBLE.sub("", value)
    value = _CONTROL.sub("", value)
    return _WHITESPACE.sub(" ", value).strip()


def clean_text(value: str | None) -> str | None:
    """Normalise free text: NFC, line ends as \\n, control and direction marks removed."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _INVISIBLE.sub("", value)
    value = _CONTROL.sub("", value)
    return value.strip()


def like_pattern(term: str) -> str:
    """Return a LIKE pattern that matches ``term`` literally anywhere (escape char \\)."""
    term = unicodedata.normalize("NFC", term)
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
