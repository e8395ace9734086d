"""Template filters for histories of moves (chamber.workflow)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def said(note: str) -> str:
    """A history's note in the reader's language. Notes the portal writes itself are kept in
    English (DESIGN.md §4: text is put into words when shown, never stored translated) and
    translated here; what a person typed has no translation and is shown as typed."""
    return gettext(note) if note else note
