"""URL converters. `<id:pk>`: a database id; longer numbers than a 64-bit integer holds do
not match (404) instead of reaching the database and failing there."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
