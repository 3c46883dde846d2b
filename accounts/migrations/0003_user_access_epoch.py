from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="access_epoch",
            field=models.PositiveIntegerField(
                db_default=0, default=0, editable=False, verbose_name="访问凭据版本"
            ),
        ),
    ]
