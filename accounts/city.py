"""The city's name in the language of the page: ``PORTAL_CITY_NAME`` (青岛市) in Chinese,
``PORTAL_CITY_NAME_EN`` (Qingdao) in English, so no English title reads "青岛市 Government
Consultation Platform"."""

from django.conf import settings
from django.utils.translation import get_language


def city_name() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    if language.startswith("en"):
        return settings.PORTAL_CITY_NAME_EN or settings.PORTAL_CITY_NAME
    return settings.PORTAL_CITY_NAME
