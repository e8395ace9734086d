"""Give the allocations made before their history table one: their start, and their closing
for those already ended or terminated. Who closed one is not known. Why was appended to its
note, after a line break: for a closed allocation the last line of the note is taken as the
reason of its closing, the rest as the reason of its start (approximate: a note of one line
stays with the start)."""

from django.db import migrations


def fill(apps, schema_editor):
    Allocation = apps.get_model("spaces", "Allocation")
    Change = apps.get_model("spaces", "AllocationStatusChange")
    rows = []
    for allocation in Allocation.objects.filter(history__isnull=True).iterator():
        started, closed = allocation.note, ""
        if allocation.status != "active" and "\n" in allocation.note:
            started, closed = allocation.note.rsplit("\n", 1)
        rows.append(
            Change(
                allocation=allocation,
                from_status="",
                to_status="active",
                actor_id=allocation.created_by_id,
                note=started,
                at=allocation.created_at,
            )
        )
        if allocation.status != "active":
            rows.append(
                Change(
                    allocation=allocation,
                    from_status="active",
                    to_status=allocation.status,
                    note=closed,
                    at=allocation.closed_at or allocation.created_at,
                )
            )
    Change.objects.bulk_create(rows, batch_size=1000)


def empty(apps, schema_editor):
    apps.get_model("spaces", "AllocationStatusChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("spaces", "0006_history_on_behalf_and_allocation_history")]

    operations = [migrations.RunPython(fill, empty)]
