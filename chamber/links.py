"""Links that a page of a lower layer shows to the pages of a higher one.

A lower layer never names a higher one's URLs (DESIGN.md §4): such a link is passed in from
above. The lower app declares a slot on its page (`spaces.links.SPACE_PAGE`); a higher app
adds to it, when it starts (its AppConfig.ready), a function that gives the links for a
person and an object; the lower page's view asks its slot for them, and its template shows
them among its own.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    url: str  # empty: a line of text, no link
    label: str
    primary: bool = False  # the page's main action (a button), or one among others
    post: bool = False  # an act: a button in a form sent with POST (and its CSRF token)


class Slot:
    """A place on a page where higher layers add links."""

    def __init__(self, page: str):
        self.page = page
        self._providers: list[Callable] = []

    def __repr__(self):
        return f"<Slot {self.page}: {len(self._providers)} provider(s)>"

    def add(self, provider: Callable) -> Callable:
        """Add `provider(user, obj) -> list[Link]` (once, however often the app starts)."""
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def links(self, user, obj) -> list[Link]:
        return [link for provider in self._providers for link in provider(user, obj)]
