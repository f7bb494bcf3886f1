"""Index classes for orders that the databases spell differently."""

from __future__ import annotations

import copy
from typing import Any

from django.db import models
from django.db.models.expressions import OrderBy


class NullsFirstIndex(models.Index):
    """An index with `F(...).asc(nulls_first=True)` columns, for an ORDER BY that puts NULLs first.

    PostgreSQL needs NULLS FIRST in the index to read such an order from it; SQLite rejects the
    modifier in an index but sorts NULLs first in an ascending order anyway, so it gets the
    column plainly ascending.
    """

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = copy.copy(self)
        plain.expressions = tuple(_without_nulls_first(expression) for expression in self.expressions)
        return super(NullsFirstIndex, plain).create_sql(model, schema_editor, using=using, **kwargs)


def _without_nulls_first(expression: Any) -> Any:
    if isinstance(expression, OrderBy) and expression.nulls_first and not expression.descending:
        return OrderBy(expression.expression)
    return expression
