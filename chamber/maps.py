"""What every map of the portal needs (chamber/templates/includes/map.html): the tile server
and its attribution, from the settings (none by default: markers on a plain background)."""

from django.conf import settings


def map_settings() -> dict:
    return {"tiles_url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION}
