"""Before e-mail addresses become unique per account (0007), an address that several
accounts share, however capitalised, stays with the oldest account and is emptied on the
others: their people give a new one on their account page (an empty address is allowed
many times). Nothing is undone on the way back: which accounts shared an address is lost."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower


def blank_duplicate_emails(apps, schema_editor):
    User = apps.get_model("chamber", "User")
    shared = (
        User.objects.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(accounts=Count("pk"))
        .filter(accounts__gt=1)
        .values_list("address", flat=True)
    )
    for address in list(shared):
        accounts = User.objects.filter(email__iexact=address).order_by("pk")
        accounts.exclude(pk=accounts.first().pk).update(email="")


class Migration(migrations.Migration):
    dependencies = [
        ("chamber", "0005_submitted_form"),
    ]

    operations = [
        migrations.RunPython(blank_duplicate_emails, migrations.RunPython.noop),
    ]
