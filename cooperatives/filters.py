"""Filters of the public directory of cooperatives and of the staff's application queue."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from chamber.filters import commune_filter, craft_filter, province_filter
from cooperatives.models import ApplicationStatus


class CooperativeFilter(django_filters.FilterSet):
    province = province_filter()
    commune = commune_filter()
    craft = craft_filter()
    women_led = django_filters.BooleanFilter(
        label=_("Women are most of the members"),
        method="only_women_led",
        widget=forms.CheckboxInput,
    )

    def only_women_led(self, queryset, name, value):
        return queryset.filter(women_members__gt=F("men_members")) if value else queryset


class ApplicationQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (ApplicationStatus.SUBMITTED, ApplicationStatus.SUBMITTED.label),
            (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.UNDER_REVIEW.label),
        ],
        empty_label=_("All waiting"),
    )
    province = province_filter("cooperative__commune__province", _("Province of the cooperative"))
    craft = craft_filter("craft", distinct=False)
