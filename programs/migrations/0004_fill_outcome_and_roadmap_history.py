"""Give the roadmap actions and the recorded outcomes made before their history tables one:
where each stands now, with no one named (the admin kept no trace of who set it)."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    Action = apps.get_model("programs", "RoadmapAction")
    ActionChange = apps.get_model("programs", "RoadmapActionStatusChange")
    Enrolment = apps.get_model("programs", "Enrolment")
    OutcomeChange = apps.get_model("programs", "EnrolmentOutcomeChange")
    now = timezone.now()
    ActionChange.objects.bulk_create(
        [
            ActionChange(action=action, from_status="", to_status=action.status, at=now)
            for action in Action.objects.filter(history__isnull=True).iterator()
        ],
        batch_size=1000,
    )
    outcomes = Enrolment.objects.exclude(outcome="").filter(outcome_history__isnull=True)
    OutcomeChange.objects.bulk_create(
        [
            OutcomeChange(
                enrolment=enrolment,
                from_status="",
                to_status=enrolment.outcome,
                at=timezone.make_aware(datetime.combine(enrolment.completed_on, time(12)))
                if enrolment.completed_on
                else now,
            )
            for enrolment in outcomes.iterator()
        ],
        batch_size=1000,
    )


def empty(apps, schema_editor):
    apps.get_model("programs", "RoadmapActionStatusChange").objects.all().delete()
    apps.get_model("programs", "EnrolmentOutcomeChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_history_of_outcomes_and_roadmap_actions")]

    operations = [migrations.RunPython(fill, empty)]
