"""Contacts of participants, registrants and commenters encrypted at rest (issue 28 item
4), and one registration per phone checked on the phone's keyed hash."""

from django.db import migrations, models

import core.encrypted_fields
from core import crypto


def encrypt(apps, schema_editor):
    Participant = apps.get_model("participation", "Participant")
    Registration = apps.get_model("participation", "Registration")
    Opinion = apps.get_model("participation", "Opinion")
    core.encrypted_fields.encrypt_in_place(Participant, ["phone", "email"])
    core.encrypted_fields.encrypt_in_place(Registration, ["phone", "email"])
    core.encrypted_fields.encrypt_in_place(Opinion, ["contact"])
    for registration in Registration.objects.only("pk", "phone"):
        phone = registration.phone
        # An anonymised phone ("已删除-<id>") is its own digest, as the retention writes it.
        digest = phone if phone.startswith("已删除-") else crypto.lookup_hash(phone)
        Registration.objects.filter(pk=registration.pk).update(phone_digest=digest)


def decrypt(apps, schema_editor):
    """Back to clear text, for the reverse migration (the columns were plain before)."""
    for label, fields in (
        ("Participant", ["phone", "email"]),
        ("Registration", ["phone", "email"]),
        ("Opinion", ["contact"]),
    ):
        core.encrypted_fields.store_in_clear(apps.get_model("participation", label), fields)


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0008_written_solicitation'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='registration',
            name='one_registration_per_phone',
        ),
        migrations.AddField(
            model_name='registration',
            name='phone_digest',
            field=models.CharField(default='', editable=False, max_length=80, verbose_name='联系电话摘要'),
        ),
        migrations.AlterField(
            model_name='opinion',
            name='contact',
            field=core.encrypted_fields.EncryptedCharField(blank=True, max_length=100, verbose_name='联系方式'),
        ),
        migrations.AlterField(
            model_name='participant',
            name='email',
            field=core.encrypted_fields.EncryptedEmailField(blank=True, max_length=254, verbose_name='电子邮箱'),
        ),
        migrations.AlterField(
            model_name='participant',
            name='phone',
            field=core.encrypted_fields.EncryptedCharField(blank=True, max_length=30, verbose_name='联系电话'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='email',
            field=core.encrypted_fields.EncryptedEmailField(blank=True, max_length=254, verbose_name='电子邮箱'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='phone',
            field=core.encrypted_fields.EncryptedCharField(max_length=30, verbose_name='联系电话'),
        ),
        migrations.RunPython(encrypt, decrypt),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(fields=('activity', 'phone_digest'), name='one_registration_per_phone'),
        ),
    ]
