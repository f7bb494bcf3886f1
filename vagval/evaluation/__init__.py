"""The evaluator's pages: pseudonymised datasets with approval, the partners' collaboration survey (issue 13)."""
