"""On PostgreSQL, partition the access log by month on `at` (declarative partitioning).

The table is rebuilt: renamed, a partitioned table made like it, a partition for every month
that holds entries (and this month and the next three, as the worker's job keeps doing) plus a
default one, the rows copied over, the old table dropped, and its indexes and append-only
trigger put back on the new one. The primary key becomes (id, at): PostgreSQL requires the
partition key in it. SQLite keeps a plain table. The statements are in vagval.common.sql.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

from vagval.common import sql

TABLE = "audit_accesslogentry"
MONTHS_AHEAD = 3

def partition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or sql.is_partitioned(connection, TABLE):
        return
    this_month = timezone.localdate().replace(day=1)
    months = [sql.add_months(this_month, n) for n in range(MONTHS_AHEAD + 1)]
    sql.table_partition_by_month(connection, TABLE, months)

def unpartition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql" and sql.is_partitioned(connection, TABLE):
        sql.table_unpartition(connection, TABLE)

class Migration(migrations.Migration):
    dependencies = [("audit", "0005_log_indexes_for_search_and_removal_record")]
    operations = [migrations.RunPython(partition, unpartition)]
