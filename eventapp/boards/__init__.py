"""Social business boards: pitch applications, timed slots, the panel and its feedback."""
