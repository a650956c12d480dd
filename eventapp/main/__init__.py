"""The front page, language choice, health checks and error pages."""
