"""Breakfast meetings: recurring series hosted by business networks, check-in at the door,
and the region's repeat-attendance goal."""
