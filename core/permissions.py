"""The one check every staff view makes before it reads or changes an object."""

from django.core.exceptions import PermissionDenied


def require_perm(request, permission: str, obj=None) -> None:
    """Refuse with 403 unless the signed-in user holds ``permission`` (on ``obj``).

    Permissions are the rules of each app's ``rules.py`` (see docs/ACCESS.md); a view that
    lists objects filters them with the same app's querysets instead.
    """
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied
