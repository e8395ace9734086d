"""Reads of the region and the crafts, shaped for the pages that show them."""

from django.db.models import Count, Prefetch, Q, QuerySet

from chamber.models import Commune, Craft, Province


def provinces_with_communes() -> QuerySet[Province]:
    """Every province with its communes (two queries, whatever the number of communes)."""
    return Province.objects.annotate(
        urban_count=Count("communes", filter=Q(communes__kind="urban")),
        commune_count=Count("communes"),
    ).prefetch_related(Prefetch("communes", queryset=Commune.objects.order_by("official_code")))


def crafts() -> QuerySet[Craft]:
    return Craft.objects.order_by("family", "-endangered", "code")
