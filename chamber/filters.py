import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chamber.forms import NamedModelChoiceField, communes_in_reading_order
from chamber.models import Craft, CraftFamily


class NamedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on reference data, its choices named in the reader's language."""

    field_class = NamedModelChoiceField


def communes_filter_queryset(request):
    return communes_in_reading_order()


class CraftFilter(django_filters.FilterSet):
    family = django_filters.ChoiceFilter(
        label=_("Family"), choices=CraftFamily.choices, empty_label=_("All families")
    )
    endangered = django_filters.BooleanFilter(
        label=_("Endangered only"),
        widget=forms.CheckboxInput,
        method="filter_endangered",
    )

    class Meta:
        model = Craft
        fields = ["family", "endangered"]

    def filter_endangered(self, queryset, name, value):
        return queryset.filter(endangered=True) if value else queryset
