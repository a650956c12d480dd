"""Årets sociala företag (Social Enterprise of the Year): cycles, nominations and the jury."""

# The jury's routes register themselves on the same blueprint.
from eventapp.awards import jury_views  # noqa: F401
