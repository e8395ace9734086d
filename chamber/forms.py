"""Form pieces shared by every app: reference data named in the reader's language."""

from django import forms
from django.utils.translation import get_language

from chamber.models import Commune


def communes_in_reading_order():
    """Communes sorted by their name in the active language (Arabic or French)."""
    return Commune.objects.order_by("name_ar" if get_language() == "ar" else "name_fr")


class NamedModelChoiceField(forms.ModelChoiceField):
    """Choices labelled with the object's `name`, which follows the active language."""

    def label_from_instance(self, obj):
        return obj.name


class NamedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name
