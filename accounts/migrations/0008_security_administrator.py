"""The 安全管理员 role (等保 三员分立): unlocks accounts, revokes API tokens, resets lost
authenticators and ends sessions; no business data."""

from django.db import migrations

NAME = "安全管理员"


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=NAME)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_user_sessions")]

    operations = [migrations.RunPython(create, remove)]
