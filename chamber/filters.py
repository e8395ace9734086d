import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chamber.forms import NamedModelChoiceField, communes_in_reading_order
from chamber.models import Craft, CraftFamily, Province


class NamedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on reference data, its choices named in the reader's language."""

    field_class = NamedModelChoiceField


def communes_filter_queryset(request):
    return communes_in_reading_order()


def province_filter(field_name: str = "commune__province", label=None):
    """Filter on the province of the commune at `field_name`, the provinces in their order."""
    return NamedModelChoiceFilter(
        label=label or _("Province"),
        field_name=field_name,
        queryset=Province.objects.order_by("hcp_code"),
        empty_label=_("All provinces"),
    )


def commune_filter(field_name: str = "commune"):
    """Filter on a commune, the communes in the reader's alphabetical order."""
    return NamedModelChoiceFilter(
        label=_("Commune"),
        field_name=field_name,
        queryset=communes_filter_queryset,
        empty_label=_("All communes"),
    )


def craft_filter(field_name: str = "crafts", label=None, distinct: bool = True):
    """Filter on a craft of the nomenclature, by family."""
    return NamedModelChoiceFilter(
        label=label or _("Craft"),
        field_name=field_name,
        queryset=Craft.objects.order_by("family", "code"),
        empty_label=_("All crafts"),
        distinct=distinct,
    )


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
