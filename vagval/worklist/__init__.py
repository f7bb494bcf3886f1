"""The coach's to-do list and in-app notifications (issue 12)."""
