"""A cooperative's phone in E.164 (+212…), before it becomes a phone number field: a value
that does not read as a valid number is kept as typed, for the cooperative or the chamber to
correct (the form says what is wrong); nothing saved is lost."""

import phonenumbers
from django.conf import settings
from django.db import migrations


def _formatted(text: str, style) -> str:
    """A phone number as typed, in `style` if it reads as a valid number; as typed otherwise."""
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, style)


def _e164(text: str) -> str:
    return _formatted(text, phonenumbers.PhoneNumberFormat.E164)


def _national(text: str) -> str:
    return _formatted(text, phonenumbers.PhoneNumberFormat.NATIONAL)


def _rewrite(apps, convert):
    Cooperative = apps.get_model("cooperatives", "Cooperative")
    # Read in full first: SQLite does not isolate a cursor from the updates made while reading.
    for pk, text in list(Cooperative.objects.exclude(phone="").values_list("pk", "phone")):
        if (written := convert(text)) != text:
            Cooperative.objects.filter(pk=pk).update(phone=written)


def to_e164(apps, schema_editor):
    _rewrite(apps, _e164)


def to_national(apps, schema_editor):
    """Back to text as the pages showed it before: the national format (06 12 34 56 78)."""
    _rewrite(apps, _national)


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0007_space_interest")]

    operations = [migrations.RunPython(to_e164, to_national)]
