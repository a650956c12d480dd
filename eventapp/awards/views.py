"""Award pages under /awards/."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("awards", __name__, url_prefix="/awards")


@bp.get("/")
def index():
    """The award's public page; the nomination call opens here when a cycle is running."""
    return render_template("awards/index.html")
