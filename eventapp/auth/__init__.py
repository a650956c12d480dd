"""Accounts: register, sign in and out, passwords and the profile."""
