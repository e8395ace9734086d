"""An apprentice's phone becomes their account's (chamber.User.phone, E.164), the number the
portal sends SMS to and signs them in with; a number that does not read as a phone number is
kept as typed, for the person to correct on their account page."""

import phonenumbers
from django.conf import settings
from django.db import migrations


def _e164(text: str) -> str:
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def to_account(apps, schema_editor):
    Apprentice = apps.get_model("programs", "Apprentice")
    User = apps.get_model("chamber", "User")
    for apprentice in Apprentice.objects.exclude(phone="").select_related("user"):
        if not apprentice.user.phone:
            User.objects.filter(pk=apprentice.user_id).update(phone=_e164(apprentice.phone)[:128])


def to_profile(apps, schema_editor):
    Apprentice = apps.get_model("programs", "Apprentice")
    for apprentice in Apprentice.objects.select_related("user").exclude(user__phone=""):
        Apprentice.objects.filter(pk=apprentice.pk).update(phone=str(apprentice.user.phone)[:30])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_fill_outcome_and_roadmap_history"),
        ("chamber", "0008_user_phone"),
    ]

    operations = [migrations.RunPython(to_account, to_profile)]
