"""Granting model permissions to role groups from a data migration.

Each app's migration names the permissions its admin pages need; these functions take the
migration's historical ``apps``, so they keep working as the models change.
"""

from django.contrib.auth.management import create_permissions


def _permissions(apps, app_label: str, codenames: list[str]):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    if len(permissions) != len(codenames):
        raise RuntimeError(f"Some {app_label} permissions were not created: {codenames}")
    return permissions


def grant(apps, *, app_label: str, codenames: list[str], roles: list[str]) -> None:
    """Add (never replace) the permissions to each role group."""
    permissions = _permissions(apps, app_label, codenames)
    Group = apps.get_model("auth", "Group")
    for name in roles:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, *, app_label: str, codenames: list[str], roles: list[str]) -> None:
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label=app_label, codename__in=codenames
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=roles):
        group.permissions.remove(*permissions)
