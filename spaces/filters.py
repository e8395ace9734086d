"""The public catalogue's filters: every one of them in the URL, so a result can be shared.

An unknown value (a commune that does not exist, a sort that is not offered) is explained on
its field and otherwise ignored: the catalogue never answers a bad link with an error.
"""

from datetime import date, timedelta

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chamber.filters import commune_filter, craft_filter, province_filter
from spaces import selectors
from spaces.forms import WeekdaysField
from spaces.models import ALL_WEEKDAYS, UTILITIES, Condition, SpaceKind, SpaceStatus

# How far ahead the catalogue answers "free from": agreements last five years at most.
FREE_FROM_YEARS = 5


class WeekdaysFilter(django_filters.Filter):
    field_class = WeekdaysField


def _free_from_bounds():
    """Validators of the "free from" date: not before today's year, not past five years."""
    today = timezone.localdate()
    return [
        MinValueValidator(date(today.year, 1, 1)),
        MaxValueValidator(today + timedelta(days=366 * FREE_FROM_YEARS)),
    ]


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
    free_on = WeekdaysFilter(
        label=_("Free on these days"),
        method="kept_for_free_from",
        help_text=_("Every one of the days ticked is free for the coming three months."),
    )
    free_from = django_filters.DateFilter(
        label=_("Free from this date"),
        method="kept_for_free_from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Without days ticked: at least one day of the week is free."),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["free_from"].extra["validators"] = _free_from_bounds()

    def filter_queryset(self, queryset):
        """The other filters, then the free days (read together: the days from the date)."""
        queryset = super().filter_queryset(queryset)
        weekdays = self.form.cleaned_data.get("free_on") or 0
        on = self.form.cleaned_data.get("free_from")
        if not weekdays and on is None:
            return queryset
        return selectors.free_from(
            queryset,
            weekdays or ALL_WEEKDAYS,
            on or timezone.localdate(),
            every=bool(weekdays),
        )

    def kept_for_free_from(self, queryset, name, value):
        return queryset

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
