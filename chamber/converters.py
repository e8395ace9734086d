"""URL converters, registered once for every app's URLs.

`<id:pk>`: a database id; a number longer than a 64-bit integer holds does not match (404)
rather than reaching the database and failing there. `choices(name, *words)` registers a
converter that matches one of a few words (`<space_decision:decision>`), so that a URL
names its actions and anything else is a 404, without a regular expression per URL.
"""

import re

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")


def choices(name: str, *words: str) -> None:
    """Register `<name:…>`, which matches one of `words` exactly."""
    converter = type(
        f"{name.title().replace('_', '')}Converter",
        (),
        {
            "regex": "|".join(re.escape(word) for word in words),
            "to_python": lambda self, value: value,
            "to_url": lambda self, value: str(value),
        },
    )
    register_converter(converter, name)
