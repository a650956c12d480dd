"""What a service refuses: one exception type for every rule in every feature.

A service raises ``DomainError`` (or a feature's subclass, when a caller must tell that
feature's refusals apart) with a message that is safe to show to the person. Views never
catch it themselves: ``eventapp.actions.attempt`` rolls back and shows the message.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the change; ``message`` is safe to show (a lazy string is fine).

    ``field`` names the form field the message belongs to, when the refusal is about one
    value the person typed (a view shows it there and keeps what was typed).
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
