"""Mozilla's ical.js (the parser in Thunderbird) as a third, independent reader of our feeds.

``make test`` runs ``npm ci`` here; without ``node_modules`` (or node) the check is skipped
with a message rather than failing, so a plain ``pytest`` still runs everything else.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent


def icaljs_missing_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HERE / "node_modules" / "ical.js").is_dir():
        return f"ical.js is not installed: run `npm ci` in {HERE}"
    return None


def starts_by_icaljs(data: bytes) -> dict[str, datetime] | None:
    """Each UID's UTC start as ical.js reads ``data``; None when ical.js is unavailable."""
    reason = icaljs_missing_reason()
    if reason is not None:
        return None
    result = subprocess.run(
        ["node", str(HERE / "starts.mjs")],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
        cwd=HERE,
    )
    parsed = json.loads(result.stdout)
    return {uid: datetime.fromtimestamp(ms / 1000, UTC) for uid, ms in parsed.items()}
