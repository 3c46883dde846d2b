"""Give the general office and the system administrators the admin pages of matters.

``change_matter`` only makes the publish/withdraw actions appear on the list: the admin
shows every matter read-only, and object-level changes stay with ``matters/rules.py``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "view_matter",
    "change_matter",
    "view_ledgerentry",
    "view_procedurestep",
    "view_stagechange",
    "view_document",
    "view_draftversion",
    "view_policyarea",
]
ROLES = ["办公厅审核人", "系统管理员"]


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label="matters", codename__in=PERMISSIONS)
    )


def grant(apps, schema_editor):
    permissions = _permissions(apps)
    if len(permissions) != len(PERMISSIONS):
        raise RuntimeError("Some matters permissions were not created: check PERMISSIONS.")
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="matters", codename__in=PERMISSIONS
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0002_policy_areas"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
