"""Is the database reachable and at the newest migration?"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@cache
def head_revisions() -> frozenset[str]:
    """The revision ids the code expects (read once from migrations/)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def migrations_at_head(session: Session) -> bool:
    current = {row[0] for row in session.execute(text("SELECT version_num FROM alembic_version"))}
    session.rollback()
    return current == set(head_revisions())
