"""Give the general office and the system administrators the admin pages of matters.

``change_matter`` only makes the publish/withdraw actions appear on the list: the admin
shows every matter read-only, and object-level changes stay with ``matters/rules.py``.
"""

from django.db import migrations

from accounts import role_permissions

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


def grant(apps, schema_editor):
    role_permissions.grant(apps, app_label="matters", codenames=PERMISSIONS, roles=ROLES)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, app_label="matters", codenames=PERMISSIONS, roles=ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0002_policy_areas"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
