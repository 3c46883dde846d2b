from django.conf import settings

from .navigation import PUBLIC_SECTIONS


def portal(request):
    return {
        "portal_city_name": settings.PORTAL_CITY_NAME,
        "public_sections": PUBLIC_SECTIONS,
    }
