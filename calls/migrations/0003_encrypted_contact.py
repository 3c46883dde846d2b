"""Proposers' contacts to public calls encrypted at rest (issue 28 item 4)."""

import core.encrypted_fields
from django.db import migrations


def encrypt(apps, schema_editor):
    Submission = apps.get_model("calls", "Submission")
    core.encrypted_fields.encrypt_in_place(Submission, ["contact"])


def decrypt(apps, schema_editor):
    core.encrypted_fields.store_in_clear(apps.get_model("calls", "Submission"), ["contact"])


class Migration(migrations.Migration):

    dependencies = [
        ('calls', '0002_invitees_and_files'),
    ]

    operations = [
        migrations.AlterField(
            model_name='submission',
            name='contact',
            field=core.encrypted_fields.EncryptedCharField(blank=True, max_length=100, verbose_name='联系方式'),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
