"""Back up the database, restore it into a fresh one, and prove the copy is whole.

    .venv/bin/python scripts/backup_restore_drill.py sqlite:///instance/eventapp.sqlite
    .venv/bin/python scripts/backup_restore_drill.py postgresql://eventapp@db/eventapp \\
        --backup-dir /var/backups/eventapp

Run it after setting up backups and then regularly (monthly): a backup nobody has restored
is a hope, not a backup. It takes the same kind of backup the operations guide prescribes
(docs/operations.md), restores it next to the original, and checks:

* the restored database passes the engine's own integrity checks (SQLite:
  ``PRAGMA integrity_check`` and ``foreign_key_check``; PostgreSQL: pg_restore succeeds
  with every constraint and index re-created);
* every table has as many rows as the original had when the backup was taken (if the
  original changed meanwhile, the counts before and after the backup say so);
* the migration revision is the same, and the newest one this code knows.

SQLite is backed up with the online backup API (``sqlite3.Connection.backup``), which is
safe while the site runs. PostgreSQL uses ``pg_dump --format=custom`` and restores with
``pg_restore`` into a new database next to the original (the URL's user must be allowed to
create databases); it is dropped at the end unless ``--keep``. The backup file stays in
``--backup-dir`` (a temporary folder when not given). Exit status 0 when the copy is whole,
1 with the problems listed otherwise.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


@dataclass
class DrillReport:
    backup: Path
    restored_url: str
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- URLs and counting ----------------------------------------------------------------------


def _url(url: str) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _libpq(url: URL) -> str:
    """The URL as pg_dump/psql understand it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(url: URL) -> Path:
    return Path(url.database)


def row_counts(url: str) -> dict[str, int]:
    """Rows per table, in one read transaction (one consistent picture)."""
    engine = create_engine(_url(url))
    try:
        with engine.connect() as connection:
            tables = sorted(inspect(connection).get_table_names())
            return {
                table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in tables
            }
    finally:
        engine.dispose()


def revisions(url: str) -> set[str]:
    engine = create_engine(_url(url))
    try:
        with engine.connect() as connection:
            return {
                row[0]
                for row in connection.execute(text("SELECT version_num FROM alembic_version"))
            }
    finally:
        engine.dispose()


# --- SQLite ---------------------------------------------------------------------------------


def backup_sqlite(url: str, folder: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while the site runs)."""
    source = _sqlite_path(_url(url))
    target = folder / f"{source.stem}-{_stamp()}.sqlite"
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    return target


def restore_sqlite(backup: Path, folder: Path) -> str:
    restored = folder / f"restored-{backup.name}"
    shutil.copyfile(backup, restored)
    return f"sqlite:///{restored}"


def check_sqlite(url: str) -> list[str]:
    problems = []
    with sqlite3.connect(_sqlite_path(_url(url))) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            problems.append(f"integrity_check: {result[:5]}")
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            problems.append(f"foreign_key_check: {broken[:5]}")
    return problems


# --- PostgreSQL -----------------------------------------------------------------------------


def backup_postgres(url: str, folder: Path) -> Path:
    parsed = _url(url)
    target = folder / f"{parsed.database}-{_stamp()}.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), _libpq(parsed)],
        check=True,
        capture_output=True,
    )
    return target


def restore_postgres(backup: Path, url: str) -> str:
    """Restore into a new database next to the original; return its URL."""
    import psycopg

    parsed = _url(url)
    name = f"{parsed.database}_restore_{_stamp().lower()}"[:63]
    with psycopg.connect(_libpq(parsed), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    restored = parsed.set(database=name)
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            _libpq(restored),
            str(backup),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        drop_postgres(restored.render_as_string(hide_password=False))
        raise RuntimeError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
    return restored.render_as_string(hide_password=False)


def drop_postgres(url: str) -> None:
    import psycopg

    parsed = _url(url)
    admin = parsed.set(database="postgres")
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


# --- the drill ------------------------------------------------------------------------------


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")


def verify(source_counts: dict[str, int], restored_url: str, expected: set[str]) -> list[str]:
    """Problems of a restored database compared with the original's counts; [] when whole."""
    problems = []
    if restored_url.startswith("sqlite"):
        problems += check_sqlite(restored_url)
    restored_counts = row_counts(restored_url)
    for table in sorted(set(source_counts) | set(restored_counts)):
        before, after = source_counts.get(table), restored_counts.get(table)
        if before != after:
            problems.append(f"table {table}: {before} rows in the original, {after} restored")
    found = revisions(restored_url)
    if found != expected:
        problems.append(f"migration revision {sorted(found)}, expected {sorted(expected)}")
    return problems


def drill(url: str, folder: Path, *, keep: bool = False) -> DrillReport:
    """Back up ``url`` into ``folder``, restore it, verify it; drop the copy unless ``keep``."""
    from eventapp.database_status import head_revisions

    started = time.perf_counter()
    postgres = _url(url).get_backend_name() == "postgresql"
    before = row_counts(url)
    backup = backup_postgres(url, folder) if postgres else backup_sqlite(url, folder)
    after = row_counts(url)
    restored = restore_postgres(backup, url) if postgres else restore_sqlite(backup, folder)
    report = DrillReport(backup=backup, restored_url=restored, counts=after)
    try:
        expected = revisions(url)
        report.problems = verify(after, restored, expected)
        if before != after:
            report.problems.append(
                "the original changed while the backup ran: compare the counts by hand, or "
                "run the drill again at a quiet moment"
            )
        if expected != set(head_revisions()):
            report.problems.append(
                f"the original is at {sorted(expected)}, not at this code's newest "
                f"migration {sorted(head_revisions())}: run `flask --app eventapp db upgrade`"
            )
    finally:
        if not keep:
            if postgres:
                drop_postgres(restored)
            else:
                Path(_sqlite_path(_url(restored))).unlink(missing_ok=True)
    report.seconds = time.perf_counter() - started
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="the database URL (as EVENTAPP_SQLALCHEMY_DATABASE_URI)")
    parser.add_argument("--backup-dir", type=Path, help="keep the backup file here")
    parser.add_argument("--keep", action="store_true", help="keep the restored copy too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.backup_dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        report = drill(args.database, folder, keep=args.keep)
        print(f"backup:   {report.backup} ({report.backup.stat().st_size / 1e6:.1f} MB)")
        print(
            f"restored: {make_url(report.restored_url).render_as_string(hide_password=True)}"
            f"{'' if args.keep else ' (dropped again)'}"
        )
        print(f"tables:   {len(report.counts)}, rows: {sum(report.counts.values()):,}")
        print(f"took:     {report.seconds:.1f} s")
        if report.ok:
            print("OK: the backup restores to a whole, consistent database.")
            return 0
        print("PROBLEMS:")
        for problem in report.problems:
            print(f"  - {problem}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
