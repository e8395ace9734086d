"""What the portal holds about a person, and how it forgets them (law 09-08, DESIGN.md §6).

Each app knows its own data; this lowest layer knows none of them (DESIGN.md §4). So each app
adds its part to `PERSONAL_DATA` when it starts (its AppConfig.ready, as with chamber.links):
`export(user) -> dict`, what a person downloads from their account page, and `erase(user)`,
which anonymises what the app holds about them when staff erase the person
(chamber.services.erase_person). The portal assembles the download; chamber erases.
"""

from collections.abc import Callable
from dataclasses import dataclass

from chamber.models import StatusChange, User


@dataclass(frozen=True)
class Part:
    export: Callable[[User], dict]
    erase: Callable[[User], None] | None = None


class PersonalData:
    """The parts of a person's data, one per app, in the order the apps start."""

    def __init__(self):
        self._parts: dict[str, Part] = {}

    def __repr__(self):
        return f"<PersonalData: {', '.join(self._parts)}>"

    def add(self, name: str, *, export, erase=None) -> None:
        """Add an app's part (once, however often the app starts)."""
        self._parts[name] = Part(export=export, erase=erase)

    def export(self, user: User) -> dict[str, dict]:
        return {name: part.export(user) for name, part in self._parts.items()}

    def erase(self, user: User) -> None:
        """Each app anonymises its own rows; the caller holds the transaction."""
        for part in self._parts.values():
            if part.erase is not None:
                part.erase(user)


PERSONAL_DATA = PersonalData()


def acts_of(user: User, *histories: type[StatusChange]) -> dict[str, list[dict]]:
    """The history rows where `user` made the move, for each history model given (one query
    each): what was moved (its number), from, to, when, why, and whether on someone's behalf."""
    acts = {}
    for history in histories:
        subject = next(
            field.attname
            for field in history._meta.concrete_fields
            if field.is_relation and field.name != "actor"
        )
        rows = history.objects.filter(actor=user).order_by("at", "pk")
        acts[history._meta.model_name] = list(
            rows.values(subject, "from_status", "to_status", "at", "note", "on_behalf")
        )
    return acts
