"""The public catalogue's filters: every one of them in the URL, so a result can be shared.

An unknown value (a commune that does not exist, a sort that is not offered) is explained on
its field and otherwise ignored: the catalogue never answers a bad link with an error.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chamber.filters import commune_filter, craft_filter, province_filter
from spaces.models import UTILITIES, Condition, SpaceKind, SpaceStatus


class SpaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}),
    )
    province = province_filter()
    commune = commune_filter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind of building"), choices=SpaceKind.choices, empty_label=_("All kinds")
    )
    craft = craft_filter(label=_("Craft it suits"))
    utilities = django_filters.MultipleChoiceFilter(
        label=_("With"),
        choices=list(UTILITIES.items()),
        method="with_utilities",
        widget=forms.CheckboxSelectMultiple,
    )
    min_area = django_filters.NumberFilter(
        label=_("Floor area at least (m²)"),
        field_name="floor_area_m2",
        lookup_expr="gte",
        min_value=0,
        widget=forms.NumberInput(attrs={"dir": "ltr", "min": "0"}),
    )
    condition = django_filters.ChoiceFilter(
        label=_("Condition"), choices=Condition.choices, empty_label=_("Any condition")
    )
    available_only = django_filters.BooleanFilter(
        label=_("Available now only"), method="only_available", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Newest first"),
        choices=[
            ("name", _("Name")),
            ("-floor_area_m2", _("Largest floor area")),
            ("-capacity", _("Largest capacity")),
            ("created_at", _("Oldest first")),
        ],
        fields={
            "name": "name",
            "floor_area_m2": "floor_area_m2",
            "capacity": "capacity",
            "created_at": "created_at",
        },
    )

    @property
    def qs(self):
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("-created_at", "-pk")
        return queryset

    def search(self, queryset, name, value):
        words = value.split()[:8]
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(address__icontains=word)
                | Q(description__icontains=word)
                | Q(commune__name_fr__icontains=word)
                | Q(commune__name_ar__icontains=word)
            )
        return queryset

    def with_utilities(self, queryset, name, value):
        return queryset.filter(**dict.fromkeys(value, True))

    def only_available(self, queryset, name, value):
        return queryset.filter(status=SpaceStatus.AVAILABLE) if value else queryset
