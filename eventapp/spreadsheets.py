"""CSV downloads for Swedish Excel, shared by every export in the app.

Swedish Excel expects ``;`` between cells (``,`` is the decimal sign) and only reads UTF-8
when the file starts with a byte-order mark. A cell that starts like a formula would be run
when the file is opened (CSV injection), so such text gets a leading apostrophe. The one
exception is a negative number written the Swedish way (``-0,75``): it cannot run anything,
and an apostrophe would turn a figure in a results table into text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_NUMBER = re.compile(r"-\d+(,\d+)?")
BOM = "\ufeff"


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet may see it: text that could run as a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if _NEGATIVE_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows as one CSV text with a BOM, ``;`` and CRLF line ends; every cell made safe."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_download(
    rows: Iterable[Iterable[object]], filename: str, *, cache_control: str = "private, no-store"
) -> Response:
    """A CSV attachment. Exports hold personal or unpublished data, so nothing caches them."""
    return Response(
        csv_text(rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": cache_control,
        },
    )
