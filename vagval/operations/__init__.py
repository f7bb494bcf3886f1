"""Running an installation: backup and restore (issue 14)."""
