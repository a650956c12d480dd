"""The region's goals dashboard: live indicators for organisers and admins."""
