"""The role groups give up the model permissions earlier migrations granted them.

Who may open an admin page or run an admin action is decided by the apps' rules
(``accounts.rules.admin_rules``), the same predicates as every page and the API. Model
permissions granted to groups were a second answer to the same question, and the two had
started to disagree (``matters.change_matter`` meant "lead department" on an object and
"may publish in the admin" without one). A superuser keeps Django's own all-permissions,
for break-glass use.
"""

from django.db import migrations

ROLES = ["部门经办人", "部门负责人", "办公厅审核人", "系统管理员"]


def clear(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_access_epoch"),
        ("matters", "0003_role_permissions"),
        ("annual_plans", "0002_role_permissions"),
    ]

    # Going back leaves the groups empty: the earlier migrations' grants are not replayed.
    operations = [migrations.RunPython(clear, migrations.RunPython.noop)]
