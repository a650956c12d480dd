"""The restore drill (scripts/backup_restore_drill.py) on both databases: a backup of a
realistic data set restores into a fresh database with every row and the same migration;
and the check is not a formality (rows missing in the copy are reported).

SQLite always; PostgreSQL (pg_dump/pg_restore) when configured, failed in CI without it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from bench import dataset
from eventapp import create_app
from eventapp.extensions import db
from scripts import backup_restore_drill as drill_script
from tests.backing_services import require_postgres
from tests.calendar import signup_rush

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_database(request, tmp_path_factory):
    """A migrated database holding the benchmark's data set (two years of activity); the
    tests only read it (the negative control changes its restored copy)."""
    import tests.conftest as conftest

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite'}"
    else:
        require_postgres()
        url = conftest._create_postgres_database()
    signup_rush.migrate(url)
    app = create_app(signup_rush.app_config(url))
    with app.app_context():
        dataset.seed(db.session, 1)
        db.session.remove()
        db.engine.dispose()
    yield url
    if request.param == "postgresql":
        conftest._drop_postgres_database(url)


def test_drill_restores_every_row(live_database, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    report = drill_script.drill(live_database, folder)
    assert report.ok, report.problems
    assert report.backup.exists() and report.backup.parent == folder
    assert report.counts["events"] > 1000
    assert report.counts["signups"] > 20_000
    assert report.counts["award_scores"] > 10_000


def test_verify_reports_rows_missing_from_the_copy(live_database, tmp_path):
    """Negative control: a copy that lost rows is not called whole."""
    postgres = live_database.startswith("postgresql")
    counts = drill_script.row_counts(live_database)
    expected = drill_script.revisions(live_database)
    if postgres:
        backup = drill_script.backup_postgres(live_database, tmp_path)
        restored = drill_script.restore_postgres(backup, live_database)
    else:
        backup = drill_script.backup_sqlite(live_database, tmp_path)
        restored = drill_script.restore_sqlite(backup, tmp_path)
    try:
        assert drill_script.verify(counts, restored, expected) == []
        engine = create_engine(drill_script._url(restored))
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM signups WHERE id % 10 = 0"))
        engine.dispose()
        problems = drill_script.verify(counts, restored, expected)
        assert len(problems) == 1 and problems[0].startswith("table signups:"), problems
    finally:
        if postgres:
            drill_script.drop_postgres(restored)


def test_the_script_exits_non_zero_for_a_database_behind_the_code(tmp_path):
    """The command line: a database one migration behind is reported, exit status 1."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app(signup_rush.app_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=app.extensions["migrate"].directory, revision="0008_people")
        db.engine.dispose()
    result = subprocess.run(
        [sys.executable, str(signup_rush.ROOT / "scripts" / "backup_restore_drill.py"), url],
        capture_output=True,
        text=True,
        cwd=signup_rush.ROOT,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "not at this code's newest migration" in result.stdout
