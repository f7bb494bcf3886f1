"""ESF+ participant data at entry, the ESF+ indicators and the SCB participant file (issue 13)."""
