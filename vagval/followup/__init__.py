"""Exits and follow-ups after leaving a project (issue 12)."""
