"""Accounts: register, sign in and out, passwords and the profile."""

from eventapp.auth.views import bp

__all__ = ["bp"]
