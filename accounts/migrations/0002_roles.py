"""Create the role groups and give each the model permissions the admin needs.

Object-level rules live in ``accounts/rules.py``; these model permissions only decide
which admin pages a role sees.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "部门经办人": [],
    "部门负责人": [],
    "办公厅审核人": [
        ("accounts", "view_department"),
        ("accounts", "view_user"),
    ],
    "系统管理员": [
        ("accounts", "add_department"),
        ("accounts", "change_department"),
        ("accounts", "view_department"),
        ("accounts", "add_user"),
        ("accounts", "change_user"),
        ("accounts", "view_user"),
        ("auth", "view_group"),
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
