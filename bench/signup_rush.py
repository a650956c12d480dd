"""Sign-up rush benchmark: N clients at once against gunicorn, next to a trivial endpoint.

    .venv/bin/python bench/signup_rush.py --clients 200 --seats 20
    EVENTAPP_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/signup_rush.py

For each backend (SQLite always; PostgreSQL when a URL is given) it migrates a fresh
database, starts gunicorn (4 workers x 4 threads unless told otherwise) and, in the same
run on the same server, fires N concurrent GET /healthz (a trivial Flask endpoint: no
database, no session) and then N concurrent sign-ups, each client its own signed-in person.
It prints requests per second and p50/p95 latency for both, and checks the outcome (no
overbooking, no 5xx). Figures depend on the machine; compare them within one run.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.calendar import signup_rush  # noqa: E402


def _postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    import tests.conftest as conftest

    conftest.POSTGRES_URL = admin_url
    url = conftest._create_postgres_database()
    return url, lambda: conftest._drop_postgres_database(url)


def _line(label: str, result: signup_rush.RushResult) -> str:
    bad = sum(status >= 500 for status in result.statuses) + len(result.errors)
    return (
        f"  {label:<22} {result.per_second:8.1f}/s   p50 {result.p50 * 1000:7.1f} ms   "
        f"p95 {result.percentile(0.95) * 1000:7.1f} ms   5xx/errors {bad}"
    )


def run_backend(name: str, url: str, args, tmp: Path) -> None:
    signup_rush.migrate(url)
    world = signup_rush.seed(url, args.clients, args.seats)
    with signup_rush.gunicorn(url, tmp, workers=args.workers, threads=args.threads) as server:
        trivial = signup_rush.rush(server, [("GET", "/healthz", None, None)] * args.clients)
        signups = signup_rush.rush(server, signup_rush.signup_requests(world))
    seen = signup_rush.outcome(url, world)
    print(
        f"{name}: {args.clients} clients, {args.seats} seats, "
        f"gunicorn {args.workers} workers x {args.threads} threads"
    )
    print(_line("trivial GET /healthz", trivial))
    print(_line("sign-up POST", signups))
    correct = seen.confirmed == min(args.seats, args.clients) == seen.seats_taken
    print(
        f"  outcome: {seen.confirmed} confirmed, {seen.waitlisted} waiting, "
        f"counter {seen.seats_taken}  {'OK' if correct else 'WRONG'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seats", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("EVENTAPP_TEST_POSTGRES_URL"),
        help="admin URL; a throw-away database is created and dropped",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        run_backend("SQLite", f"sqlite:///{tmp / 'bench.sqlite'}", args, tmp)
        if args.postgres:
            url, drop = _postgres_database(args.postgres)
            try:
                run_backend("PostgreSQL", url, args, tmp)
            finally:
                drop()
        else:
            print("PostgreSQL: skipped (set EVENTAPP_TEST_POSTGRES_URL or --postgres)")


if __name__ == "__main__":
    main()
