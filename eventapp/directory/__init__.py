"""The map of social enterprises (kartläggning): a public directory organisations opt in to,
and the organisers' list where they mark checked social enterprises."""
