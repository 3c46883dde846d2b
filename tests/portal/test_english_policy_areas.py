"""Policy areas in the visitor's language, and django-axes' records named in Chinese in the
admin (issue 21, item 11)."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from matters.models import PolicyArea
from tests.factories import ReviewerFactory, make_matter

pytestmark = pytest.mark.django_db


def test_policy_area_tags_and_filters_read_in_english_in_english_mode(client):
    from matters import services

    matter = make_matter()
    matter.policy_areas.set([PolicyArea.objects.get(code="elderly-care")])
    services.matter_publish(matter=matter, by=matter.created_by)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("matters:public_list")).content.decode()
    assert "Elderly care" in page and ">养老<" not in page
    detail = client.get(reverse("matters:public_detail", args=[matter.pk])).content.decode()
    assert "Elderly care" in detail
    # In Chinese, the stored name.
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert ">养老<" in client.get(reverse("matters:public_list")).content.decode()


def test_every_seeded_policy_area_has_an_english_name():
    with translation.override("en"):
        untranslated = [area.name for area in PolicyArea.objects.all() if area.label == area.name]
    assert untranslated == []


def test_the_login_records_of_django_axes_are_named_in_chinese_and_kept_out_of_the_admin(
    client,
):
    """django-axes' records have Chinese names; its admin pages are off (the security
    administrator unlocks accounts on their own page), so not even a superuser sees them."""
    from axes.models import AccessAttempt, AccessLog

    with translation.override("zh-hans"):
        assert str(AccessAttempt._meta.verbose_name_plural) == "登录尝试"
        assert str(AccessLog._meta.verbose_name_plural) == "登录日志"
    assert AccessAttempt not in admin.site._registry
    client.force_login(ReviewerFactory(is_superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert "登录尝试" not in page and "access attempts" not in page.lower()
