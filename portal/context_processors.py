from accounts import oidc
from accounts.city import city_name

from .navigation import PUBLIC_SECTIONS


def portal(request):
    return {
        "portal_city_name": city_name(),
        "public_sections": PUBLIC_SECTIONS,
        # The login page offers the unified identity platform when it is configured.
        "oidc_enabled": oidc.enabled(),
    }
