"""Page benchmark: seed a realistic data set, start gunicorn, time the main pages.

    .venv/bin/python bench/run.py --db postgresql --workers 4
    .venv/bin/python bench/run.py --db sqlite --workers 4 --scale 2 --json out.json
    .venv/bin/python bench/run.py --db postgresql --compare-scale   # scale 1, then 2
    .venv/bin/python bench/run.py --db postgresql --redis redis://127.0.0.1:6379/15

For each scale it creates a throw-away database (a temporary SQLite file, or a new
PostgreSQL database next to ``--postgres``/``EVENTAPP_TEST_POSTGRES_URL``, dropped at the
end), migrates it, seeds it (bench/dataset.py: two years, ~1,000 events, 5,000 people,
20,000 sign-ups, 300 nominations scored by 12 jurors, times the scale), starts gunicorn
with ``--workers`` gthread workers and, in the same run on the same server, measures median
and p95 latency and throughput of every page with ``--clients`` keep-alive clients. The
baseline is ``/healthz``: a Flask view on the same server through the same hooks (security
headers, control-character guard) that touches no database and no session; it is measured
again right before every page, and each ratio uses that neighbouring measurement. Pages that do
not exist (yet) are reported as missing. Prints a table with each page's median as a
multiple of the baseline's and writes everything as JSON with ``--json``.

Targets (issue 10; reported, not asserted): median within 3x the baseline (cached feed and
304 within 1.5x), and no page more than 20% slower at scale 2. Figures depend on the
machine and on what else runs on it; the client shares the machine's cores with gunicorn.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402
from tests.calendar import signup_rush  # noqa: E402

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
BASELINE = "baseline /healthz"
FLOOR = "html floor /auth/login"
CACHED = ("feed cached", "feed 304")


@dataclass
class Page:
    name: str
    path: Callable[[int], str]
    cookie: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    target: float = 3.0


@dataclass
class Timing:
    name: str
    status: str  # "ok", "missing" or "error <status>"
    requests: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    per_second: float = 0.0
    ratio: float | None = None
    target: float | None = None
    bytes: int = 0


# --- database -----------------------------------------------------------------------------


def create_database(kind: str, tmp: Path, admin_url: str) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        path = tmp / f"bench-{time.monotonic_ns()}.sqlite"
        return f"sqlite:///{path}", lambda: None
    import tests.conftest as conftest

    conftest.POSTGRES_URL = admin_url
    url = conftest._create_postgres_database()
    return url, lambda: conftest._drop_postgres_database(url)


def seed(url: str, scale: int) -> tuple[dataset.Seeded, dict[str, str], float]:
    """Seed and return the data set, session cookies per role, and the seconds it took."""
    from eventapp import create_app
    from eventapp.auth.models import User
    from eventapp.auth.services import start_login_session
    from eventapp.extensions import db

    app = create_app(signup_rush.app_config(url))
    with app.app_context(), app.test_request_context():
        started = time.perf_counter()
        seeded = dataset.seed(db.session, scale)
        elapsed = time.perf_counter() - started
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = {}
        # Server-side login sessions (the rows the login form writes), one per role.
        for role, user_id in (
            ("organiser", seeded.organiser_id),
            ("juror", seeded.juror_id),
            ("entrepreneur", seeded.entrepreneur_id),
        ):
            token = start_login_session(db.session, db.session.get(User, user_id), "bench")
            cookies[role] = serializer.dumps({"_user_id": token, "_fresh": False})
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return seeded, cookies, elapsed


# --- HTTP ---------------------------------------------------------------------------------


def fetch(server, path: str, cookie: str | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request("GET", path, headers=_headers(cookie, headers))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _headers(cookie: str | None, extra: dict | None) -> dict:
    headers = {"Accept-Language": "sv", **(extra or {})}
    if cookie:
        headers["Cookie"] = f"{signup_rush.COOKIE_NAME}={cookie}"
    return headers


def measure(server, page: Page, *, clients: int, requests: int, seconds: float) -> Timing:
    """Up to ``requests`` requests (or ``seconds``) from ``clients`` keep-alive clients."""
    status, _, body = fetch(server, page.path(0), page.cookie, page.headers)
    if status == 404:
        return Timing(page.name, "missing")
    expected = 304 if "If-None-Match" in page.headers else 200
    if status != expected:
        return Timing(page.name, f"error {status}")
    for number in range(clients * 2):  # warm every worker (and its caches) first
        fetch(server, page.path(number + 1), page.cookie, page.headers)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        headers = _headers(page.cookie, page.headers)
        while time.perf_counter() < deadline:
            with lock:
                number = next(counter)
            if number >= requests:
                break
            began = time.perf_counter()
            try:
                connection.request("GET", page.path(1000 + number), headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == expected
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
                ok, response = False, error
            elapsed = time.perf_counter() - began
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures.append(str(getattr(response, "status", response)))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if failures or not latencies:
        return Timing(page.name, f"error {failures[:3]}", requests=len(latencies))
    ordered = sorted(latencies)
    return Timing(
        page.name,
        "ok",
        requests=len(latencies),
        median_ms=statistics.median(ordered) * 1000,
        p95_ms=ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000,
        per_second=len(latencies) / wall,
        target=page.target,
        bytes=len(body),
    )


def pages(server, seeded: dataset.Seeded, cookies: dict[str, str]) -> list[Page]:
    far = date.today() + timedelta(days=3000)
    _, headers, _ = fetch(server, "/calendar.ics")
    etag = headers.get("ETag", '"none"')

    def fixed(path: str) -> Callable[[int], str]:
        return lambda number: path

    return [
        Page(BASELINE, fixed("/healthz"), target=1.0),
        # Not a target: the cost of any HTML page here (base template, language form with
        # its CSRF token, no database), to read the page ratios against.
        Page(FLOOR, fixed("/auth/login"), target=0.0),
        Page("home page", fixed("/")),
        Page("event page", fixed(f"/calendar/events/{seeded.event_uid}")),
        Page(
            "event page (signed in)",
            fixed(f"/calendar/events/{seeded.event_uid}"),
            cookies["entrepreneur"],
        ),
        Page("labs list", fixed("/labs/")),
        Page("breakfast report", fixed("/breakfasts/report"), cookies["organiser"]),
        Page("goals dashboard", fixed("/goals/"), cookies["organiser"]),
        Page("juror scoring list", fixed(f"/awards/jury/{seeded.cycle_id}"), cookies["juror"]),
        # A different (far) end date per request: a new cache key, so every one renders,
        # while the feed's content stays the same (nothing ends that late).
        Page(
            "feed full (render)",
            lambda number: f"/calendar.ics?end={far + timedelta(days=number % 20000)}",
        ),
        Page("feed cached", fixed("/calendar.ics"), target=1.5),
        Page("feed 304", fixed("/calendar.ics"), headers={"If-None-Match": etag}, target=1.5),
    ]


# --- the run ------------------------------------------------------------------------------


def run_scale(args, scale: int, tmp: Path) -> dict:
    url, drop = create_database(args.db, tmp, args.postgres)
    env: dict[str, str] = {}
    try:
        signup_rush.migrate(url)
        seeded, cookies, seconds = seed(url, scale)
        print(
            f"scale {scale}: seeded in {seconds:.1f} s: "
            + ", ".join(f"{n:,} {t}" for t, n in seeded.counts.items() if n >= 300)
        )
        if args.redis:
            # Shared feed cache (and rate-limit storage) as in a multi-host deployment; a
            # key prefix of this run's own, so an earlier run's entries are never hit.
            env = {
                "EVENTAPP_REDIS_URL": args.redis,
                "EVENTAPP_CACHE_KEY_PREFIX": f"eventapp-bench-{uuid.uuid4().hex[:8]}:",
            }
        with signup_rush.gunicorn(
            url, tmp, workers=args.workers, threads=args.threads, env_overrides=env
        ) as server:
            timings = []
            for page in pages(server, seeded, cookies):
                # The baseline right before each page: each ratio compares two measurements
                # taken seconds apart, so a machine that gets busier or quieter during the
                # run (other processes) does not flatter or punish the later pages.
                base = measure(
                    server,
                    Page(BASELINE, lambda n: "/healthz"),
                    clients=args.clients,
                    requests=args.requests,
                    seconds=args.seconds / 2,
                )
                timing = measure(
                    server,
                    page,
                    clients=args.clients,
                    requests=args.requests,
                    seconds=args.seconds,
                )
                if timing.status == "ok":
                    timing.ratio = timing.median_ms / base.median_ms
                timings.append(timing)
    finally:
        drop()
        if args.redis and env:
            _forget_redis_keys(args.redis, env["EVENTAPP_CACHE_KEY_PREFIX"])
    baseline = timings[0].median_ms
    return {
        "scale": scale,
        "seed_seconds": round(seconds, 2),
        "counts": seeded.counts,
        "baseline_median_ms": round(baseline, 3),
        "pages": [asdict(t) for t in timings],
    }


def _forget_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"*{prefix}*"))
    if keys:
        client.delete(*keys)


def print_table(result: dict, previous: dict | None) -> None:
    print(
        f"\n{result['db']} - {result['workers']} workers x {result['threads']} threads, "
        f"{result['clients']} clients, scale {result['scale']} "
        f"(baseline median {result['baseline_median_ms']:.2f} ms)"
    )
    header = f"{'page':<26}{'median ms':>10}{'p95 ms':>9}{'req/s':>8}{'x base':>8}{'target':>12}"
    if previous:
        header += f"{'vs x1':>8}"
    print(header)
    print("-" * len(header))
    before = {p["name"]: p for p in previous["pages"]} if previous else {}
    for page in result["pages"]:
        if page["status"] != "ok":
            print(f"{page['name']:<26}{page['status']:>10}")
            continue
        verdict = "<=" + format(page["target"], "g")
        verdict += " ok" if page["ratio"] <= page["target"] else " MISSED"
        if page["name"] == FLOOR:
            verdict = "(info)"
        if page["name"] == BASELINE:
            verdict = "(noise)"  # the baseline against its neighbour: ~1 on a quiet machine
        line = (
            f"{page['name']:<26}{page['median_ms']:>10.2f}{page['p95_ms']:>9.2f}"
            f"{page['per_second']:>8.0f}{page['ratio']:>8.2f}{verdict:>12}"
        )
        old = before.get(page["name"])
        if old and old["status"] == "ok":
            growth = page["median_ms"] / old["median_ms"] - 1
            line += f"{growth:>+7.0%}{'' if growth <= 0.2 else ' MISSED'}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="gthread threads per worker")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients")
    parser.add_argument("--scale", type=int, default=1, choices=(1, 2, 3, 4))
    parser.add_argument("--compare-scale", action="store_true", help="run scale 1, then 2")
    parser.add_argument("--requests", type=int, default=400, help="per page, at most")
    parser.add_argument("--seconds", type=float, default=3.0, help="per page, at most")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--redis", help="run with EVENTAPP_REDIS_URL set to this URL")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("EVENTAPP_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
        help="admin URL; a throw-away database is created next to it and dropped",
    )
    args = parser.parse_args()
    scales = (1, 2) if args.compare_scale else (args.scale,)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for scale in scales:
            result = run_scale(args, scale, Path(folder))
            result.update(
                db=args.db + (" + redis" if args.redis else ""),
                workers=args.workers,
                threads=args.threads,
                clients=args.clients,
            )
            results.append(result)
    for index, result in enumerate(results):
        print_table(result, results[0] if index else None)
    if args.json:
        args.json.write_text(json.dumps({"runs": results}, indent=2, default=str))
        print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
