"""The 审计管理员 role: reads and exports the security audit trail (audit/), nothing else."""

from django.db import migrations

NAME = "审计管理员"


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=NAME)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_roles_hold_no_model_permissions")]

    operations = [migrations.RunPython(create, remove)]
