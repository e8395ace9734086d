"""Give the cooperatives and the requests to represent them made before their history tables
one, from what their rows already say: created, then verified (by whom, when), or a request
sent, then decided (by whom, when, why)."""

from django.db import migrations


def fill(apps, schema_editor):
    Cooperative = apps.get_model("cooperatives", "Cooperative")
    CooperativeChange = apps.get_model("cooperatives", "CooperativeStatusChange")
    Representative = apps.get_model("cooperatives", "Representative")
    RepresentativeChange = apps.get_model("cooperatives", "RepresentativeStatusChange")
    rows = []
    for cooperative in Cooperative.objects.filter(history__isnull=True).iterator():
        registered = cooperative.registered_by_id is not None
        rows.append(
            CooperativeChange(
                cooperative=cooperative,
                from_status=None,
                to_status=cooperative.verified and registered,
                actor_id=cooperative.registered_by_id,
                on_behalf=registered,
                at=cooperative.created_at,
            )
        )
        if cooperative.verified and not registered:
            rows.append(
                CooperativeChange(
                    cooperative=cooperative,
                    from_status=False,
                    to_status=True,
                    actor_id=cooperative.verified_by_id,
                    at=cooperative.verified_at or cooperative.created_at,
                )
            )
    CooperativeChange.objects.bulk_create(rows, batch_size=1000)
    rows = []
    for representative in Representative.objects.filter(history__isnull=True).iterator():
        rows.append(
            RepresentativeChange(
                representative=representative,
                from_status="",
                to_status="pending",
                actor_id=representative.user_id,
                at=representative.created_at,
            )
        )
        if representative.status != "pending":
            rows.append(
                RepresentativeChange(
                    representative=representative,
                    from_status="pending",
                    to_status=representative.status,
                    actor_id=representative.decided_by_id,
                    note=representative.decision_note,
                    at=representative.decided_at or representative.created_at,
                )
            )
    RepresentativeChange.objects.bulk_create(rows, batch_size=1000)


def empty(apps, schema_editor):
    apps.get_model("cooperatives", "CooperativeStatusChange").objects.all().delete()
    apps.get_model("cooperatives", "RepresentativeStatusChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0003_history_of_representatives_and_verification")]

    operations = [migrations.RunPython(fill, empty)]
