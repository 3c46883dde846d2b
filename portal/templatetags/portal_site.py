from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("portal/_privacy_notice.html")
def privacy_notice(collects: str) -> dict:
    """What a public form collects, why, how long it is kept and who sees it: ``collects``
    is "opinion", "proposal" or "registration". A tag, not context: some forms are rendered by other
    apps' template tags, without the request's context processors."""
    return {
        "collects": collects,
        "opinion_days": settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS,
        "registration_days": settings.PORTAL_REGISTRATION_RETENTION_DAYS,
    }
