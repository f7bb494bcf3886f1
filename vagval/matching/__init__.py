"""Matching: scoring rules, the solver and matching runs (issue 11)."""
