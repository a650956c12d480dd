"""Paged lists: the ``?page=`` number, read the same way everywhere.

The template side is the ``pager`` macro in ``templates/_macros/paging.html``; a listing
passed to it has ``page``, ``pages``, ``has_previous`` and ``has_next`` (``Paged``).
"""

from __future__ import annotations

import re

from flask import request

_PAGE_NUMBER = re.compile(r"[0-9]{1,9}")


def page_number() -> int:
    """The ``?page=`` number; anything but ASCII digits means the first page (a listing
    clamps a number past its end to its last page)."""
    raw = request.args.get("page", "")
    return int(raw) if _PAGE_NUMBER.fullmatch(raw) else 1


class Paged:
    """Mixed into a listing's dataclass that has ``page`` and ``pages`` (1-based)."""

    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages
