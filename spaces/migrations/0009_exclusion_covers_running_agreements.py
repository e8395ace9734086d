"""The exclusion constraints of migration 0004 covered active allocations only: an agreement
whose renewal is requested or that was renewed still occupies its days (issue #13), so the
constraints now cover every running status."""

from django.db import migrations

DAYS = range(7)


def _replace(schema_editor, statuses: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for day in DAYS:
        schema_editor.execute(
            f"ALTER TABLE spaces_allocation DROP CONSTRAINT IF EXISTS allocation_no_overlap_day_{day}"
        )
        schema_editor.execute(
            f"""
            ALTER TABLE spaces_allocation ADD CONSTRAINT allocation_no_overlap_day_{day}
            EXCLUDE USING gist (
                space_id WITH =,
                daterange(starts_on, ends_on, '[]') WITH &&
            ) WHERE (status IN ({statuses}) AND (weekdays & {1 << day}) <> 0)
            """
        )


def cover_running(apps, schema_editor):
    _replace(schema_editor, "'active', 'renewal_requested', 'renewed'")


def cover_active(apps, schema_editor):
    _replace(schema_editor, "'active'")


class Migration(migrations.Migration):
    dependencies = [("spaces", "0008_agreement_life")]

    operations = [migrations.RunPython(cover_running, cover_active)]
