"""Declaring who may open a view: once, on the view (STYLE.md "Access")."""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from chamber.models import Role


def has_role(user, roles) -> bool:
    """Whether `user` holds one of `roles`; a superuser counts as chamber staff."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_chamber_staff:
        return Role.STAFF in roles
    return user.role in roles


class RoleRequiredMixin(AccessMixin):
    """A visitor is sent to log in; a logged-in person without the role gets 403."""

    roles: set[str] = set()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def deny(request):
    """The answer to someone who may not do this: log in first, or 403 once logged in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied
