"""Reports: ESF+ indicators, targets, budget, the steering-group report, evaluator exports (issue 13)."""
