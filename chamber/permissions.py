"""Who may manage and erase whose account (pure functions, no queries)."""

from chamber.models import Role, User


def holds_admin_powers(account: User) -> bool:
    """A staff account or a superuser: managed by superusers only, since whoever sets its
    password or its e-mail (then asks for a reset link) becomes it."""
    return account.is_staff or account.is_superuser or account.role == Role.STAFF


def can_manage_account(actor: User, account: User) -> bool:
    """Change an account in the administration: its fields, password, access, deletion.
    Staff manage the accounts of the public and their own; superusers manage every one."""
    if not actor.is_active or not actor.is_staff:
        return False
    return actor.is_superuser or actor.pk == account.pk or not holds_admin_powers(account)


def can_erase_person(actor: User, person: User) -> bool:
    """Erase a person at their request: staff, never themselves, and a staff account or a
    superuser only by a superuser."""
    if actor.pk == person.pk or not actor.is_chamber_staff or not actor.is_staff:
        return False
    return actor.is_superuser or not holds_admin_powers(person)
