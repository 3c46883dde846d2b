"""Give the general office and the system administrators the admin pages of annual plans.

``change_annualplan`` and ``change_amendment`` only make the review actions appear: the
admin shows every filing read-only, and each decision goes through ``annual_plans.services``.
The deadline permissions let the office move a year's filing deadline (with a reason).
"""

from django.db import migrations

from accounts import role_permissions

PERMISSIONS = [
    "view_annualplan",
    "change_annualplan",
    "view_planitem",
    "view_planversion",
    "view_amendment",
    "change_amendment",
    "view_amendmentitem",
    "view_filingdeadline",
    "add_filingdeadline",
    "change_filingdeadline",
]
ROLES = ["办公厅审核人", "系统管理员"]


def grant(apps, schema_editor):
    role_permissions.grant(apps, app_label="annual_plans", codenames=PERMISSIONS, roles=ROLES)


def revoke(apps, schema_editor):
    role_permissions.revoke(apps, app_label="annual_plans", codenames=PERMISSIONS, roles=ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("annual_plans", "0001_initial"),
        ("matters", "0004_ledger_action_registry"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
