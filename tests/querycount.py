"""Count the SQL statements a block of code sends, for query-discipline tests.

    with count_queries(db.engine) as counter:
        client.get("/")
    assert counter.count == 4, counter.statements

Listens to SQLAlchemy's ``before_cursor_execute`` on the engine, so it sees every statement
of every session and connection bound to that engine (Flask-SQLAlchemy's session too), and
nothing of other engines. Savepoint bookkeeping of the test fixture is left out: it is not
the page's work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

_BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@dataclass
class QueryCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def summary(self, width: int = 160) -> str:
        """One line per statement, shortened, for an assertion message."""
        return "\n".join(f"  {s.splitlines()[0][:width]}" for s in self.statements)


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryCounter]:
    """Collect every statement ``engine`` executes inside the block."""
    counter = QueryCounter()

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_BOOKKEEPING):
            counter.statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
