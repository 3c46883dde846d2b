"""English pages name the city in English and each language in its own name
(issue 21, item 11)."""

import re

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


def _page(client, language: str) -> str:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/").content.decode()


def test_the_city_is_named_in_the_language_of_the_page(client):
    english = _page(client, "en")
    assert "Qingdao Government Consultation Platform" in english
    assert "青岛市" not in english
    assert "青岛市政府协商工作平台" in _page(client, "zh-hans")


def test_the_english_city_name_is_configured_beside_the_chinese_one(client, settings):
    settings.PORTAL_CITY_NAME, settings.PORTAL_CITY_NAME_EN = "烟台市", "Yantai"
    assert "Yantai Government Consultation Platform" in _page(client, "en")
    assert "烟台市政府协商工作平台" in _page(client, "zh-hans")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_language_is_offered_in_its_own_name(client, language):
    html = _page(client, language)
    select = re.search(r'<select name="language"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["简体中文", "English"]
    assert "英文" not in select and "Chinese (Simplified)" not in select
