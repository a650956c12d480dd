"""Entrepreneurship labs: series of workshops whose sessions people sign up for."""
