"""Filters of the public directory of cooperatives and of the staff's application queue."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from chamber.filters import NamedModelChoiceFilter, communes_filter_queryset
from chamber.models import Craft, Province
from cooperatives.models import ApplicationStatus


class CooperativeFilter(django_filters.FilterSet):
    province = NamedModelChoiceFilter(
        label=_("Province"),
        field_name="commune__province",
        queryset=Province.objects.order_by("hcp_code"),
        empty_label=_("All provinces"),
    )
    commune = NamedModelChoiceFilter(
        label=_("Commune"),
        queryset=communes_filter_queryset,
        empty_label=_("All communes"),
    )
    craft = NamedModelChoiceFilter(
        label=_("Craft"),
        field_name="crafts",
        queryset=Craft.objects.order_by("family", "code"),
        empty_label=_("All crafts"),
        distinct=True,
    )
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
    province = NamedModelChoiceFilter(
        label=_("Province of the cooperative"),
        field_name="cooperative__commune__province",
        queryset=Province.objects.order_by("hcp_code"),
        empty_label=_("All provinces"),
    )
    craft = NamedModelChoiceFilter(
        label=_("Craft"),
        queryset=Craft.objects.order_by("family", "code"),
        empty_label=_("All crafts"),
    )
