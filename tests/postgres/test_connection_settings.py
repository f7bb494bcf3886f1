"""The app's own PostgreSQL connections run with the settings vagval/settings.py gives them."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own settings"),
    pytest.mark.postgresql,
    pytest.mark.django_db,
]


def test_the_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
