"""The catalogue: providers, offers and placements (issue 11)."""
