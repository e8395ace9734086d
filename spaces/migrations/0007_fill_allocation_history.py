"""Give the allocations made before their history table one: their start, and their closing
for those already ended or terminated (by whom is not known; why was in their note)."""

from django.db import migrations


def fill(apps, schema_editor):
    Allocation = apps.get_model("spaces", "Allocation")
    Change = apps.get_model("spaces", "AllocationStatusChange")
    rows = []
    for allocation in Allocation.objects.filter(history__isnull=True).iterator():
        rows.append(
            Change(
                allocation=allocation,
                from_status="",
                to_status="active",
                actor_id=allocation.created_by_id,
                note=allocation.note,
                at=allocation.created_at,
            )
        )
        if allocation.status != "active":
            rows.append(
                Change(
                    allocation=allocation,
                    from_status="active",
                    to_status=allocation.status,
                    at=allocation.closed_at or allocation.created_at,
                )
            )
    Change.objects.bulk_create(rows, batch_size=1000)


def empty(apps, schema_editor):
    apps.get_model("spaces", "AllocationStatusChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("spaces", "0006_history_on_behalf_and_allocation_history")]

    operations = [migrations.RunPython(fill, empty)]
