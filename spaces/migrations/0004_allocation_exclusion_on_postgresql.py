"""On PostgreSQL, the database itself refuses two active allocations of one space that share
a day of the week in overlapping periods: one exclusion constraint per weekday, each over the
allocations that use that day. (SQLite has no exclusion constraints: there, and everywhere
first, spaces.services.allocate_space checks under a lock on the space. DESIGN.md §6.)"""

from django.db import migrations

DAYS = range(7)


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for day in DAYS:
        schema_editor.execute(
            f"""
            ALTER TABLE spaces_allocation ADD CONSTRAINT allocation_no_overlap_day_{day}
            EXCLUDE USING gist (
                space_id WITH =,
                daterange(starts_on, ends_on, '[]') WITH &&
            ) WHERE (status = 'active' AND (weekdays & {1 << day}) <> 0)
            """
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for day in DAYS:
        schema_editor.execute(
            f"ALTER TABLE spaces_allocation DROP CONSTRAINT IF EXISTS allocation_no_overlap_day_{day}"
        )


class Migration(migrations.Migration):
    dependencies = [("spaces", "0003_default_matching_policy")]

    operations = [migrations.RunPython(add, remove)]
