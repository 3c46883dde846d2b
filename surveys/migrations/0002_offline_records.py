"""Questionnaires and polls on record as typed notes become offline survey records (the
notes stay): see surveys/legacy.py."""

from django.db import migrations


def forwards(apps, schema_editor):
    from surveys.legacy import record_offline_surveys

    record_offline_surveys(
        Survey=apps.get_model("surveys", "Survey"),
        ProcedureStep=apps.get_model("matters", "ProcedureStep"),
    )


def backwards(apps, schema_editor):
    apps.get_model("surveys", "Survey").objects.filter(is_offline_record=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
