"""The route x role permission matrix, one module per area.

Each area module (``foundation.py``, ``labs.py``, ``feeds.py``, ``awards.py``, ...) defines

    def build(session, world: World) -> None:
        '''Create the objects its URLs point at and store them on ``world``.'''

    ROUTES: list[Route] = [Route("labs.session_detail", "GET", lambda w: f"/labs/...", {...}), ...]

``tests/test_route_matrix.py`` runs every Route for every role and fails when an endpoint of
``app.url_map`` is in no area module, so a new route cannot ship without its permissions.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ROLES = ("anonymous", "entrepreneur", "juror", "panelist", "organiser", "admin")


class World(SimpleNamespace):
    """Objects the URLs refer to; areas add attributes (world.event, world.lab, ...)."""


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: Callable[[World], str]
    # Expected status per role; a role left out expects the value under "default".
    expect: dict[str, int]
    data: Callable[[World], dict] | None = field(default=None)
    note: str = ""

    def expected(self, role: str) -> int:
        return self.expect.get(role, self.expect["default"])


def all_areas():
    """Import every area module of this package, in name order."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda item: item.name):
        modules.append(importlib.import_module(f"{__name__}.{info.name}"))
    return modules


def all_routes() -> list[Route]:
    return [route for module in all_areas() for route in module.ROUTES]
