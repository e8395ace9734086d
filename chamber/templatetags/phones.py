"""Phone numbers as people read them and as a phone dials them:

    {% load phones %}
    <a href="tel:{{ space.contact_phone|tel }}" dir="ltr">{{ space.contact_phone|national }}</a>

A value saved before numbers were checked may not be a valid number: it is shown as it was
typed, never emptied, until someone corrects it (the form then says what is wrong). The same
functions give exports and personal data their text (`national`, `e164`), never a PhoneNumber
object, which CSV, Excel and JSON cannot hold.
"""

import phonenumbers
from django import template
from django.conf import settings
from phonenumber_field.phonenumber import PhoneNumber, to_python

register = template.Library()


def _number(value) -> PhoneNumber | None:
    """`value` as a PhoneNumber (valid or not); None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, PhoneNumber):
        return value
    try:
        return to_python(value, region=settings.PHONENUMBER_DEFAULT_REGION)
    except TypeError:  # not text: read as its text
        return to_python(str(value), region=settings.PHONENUMBER_DEFAULT_REGION)


def _as_typed(number: PhoneNumber) -> str:
    return number.raw_input or ""


def is_moroccan(number: PhoneNumber) -> bool:
    """A valid number of the portal's country (+212), the only ones its forms accept."""
    return number.is_valid() and (
        phonenumbers.region_code_for_number(number) == settings.PHONENUMBER_DEFAULT_REGION
    )


@register.filter
def national(value) -> str:
    """06 12 34 56 78 for a Moroccan number. A foreign one in the international format
    (+33 6 12 34 56 78): its national format would pass for a Moroccan number. One that is
    not a valid number, as it was typed."""
    number = _number(value)
    if number is None:
        return ""
    if not number.is_valid():
        return _as_typed(number)
    return number.as_national if is_moroccan(number) else number.as_international


def e164(value) -> str:
    """+212612345678 for a valid number (as it is stored); one that is not, as it was typed."""
    number = _number(value)
    if number is None:
        return ""
    return number.as_e164 if number.is_valid() else _as_typed(number)


@register.filter
def tel(value) -> str:
    """What a `tel:` link dials: E.164, without spaces; for a value that is not a valid
    number, its digits (and a leading +), which a phone may still manage to call."""
    text = e164(value).strip()
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    return ("+" if text.startswith("+") else "") + digits
