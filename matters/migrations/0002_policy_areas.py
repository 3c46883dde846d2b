from django.db import migrations

AREAS = [
    ("education", "教育"),
    ("environment", "生态环境"),
    ("public-security", "治安"),
    ("elderly-care", "养老"),
    ("property-management", "物业"),
    ("transport", "交通"),
    ("budget", "财政预算"),
    ("health", "医疗卫生"),
    ("housing", "住房保障"),
    ("urban-renewal", "城市更新"),
    ("employment", "就业社保"),
    ("business-environment", "营商环境"),
    ("culture-tourism", "文化旅游"),
    ("agriculture", "农业农村"),
    ("marine", "海洋"),
    ("safety", "安全生产"),
    ("civil-affairs", "民政"),
    ("rule-of-law", "法治政府"),
]


def seed(apps, schema_editor):
    PolicyArea = apps.get_model("matters", "PolicyArea")
    for order, (code, name) in enumerate(AREAS, start=1):
        PolicyArea.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
