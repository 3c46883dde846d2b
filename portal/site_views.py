"""The pages every government website has besides its content: the site map (for people
and, as ``sitemap.xml``, for search engines), ``robots.txt``, the privacy notice, the
help page and the accessibility statement with the elder-friendly mode."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from annual_plans.selectors import public_years
from core.content_cache import public_page
from matters.procedures import Kind

from .sitemaps import SITEMAPS

# Never worth a crawler's visit: staff pages, sign-in, the admin, personal invitation
# links, the endless combinations of search words, and the API (served as open data).
ROBOTS_DISALLOW = (
    "/admin/",
    "/staff/",
    "/workbench/",
    "/accounts/",
    "/invitations/",
    "/proposals/rating/",  # an author's personal rating link, under the public section
    "/search/",
    "/api/",
    "/i18n/",
)


def _sections() -> dict:
    return {name: section() for name, section in SITEMAPS.items()}


@require_safe
@public_page
def sitemap_xml(request):
    """One ``<urlset>`` while everything fits in one file (50,000 addresses, the
    protocol's limit); past that a sitemap index naming a file per section and page."""
    sections = _sections()
    if sum(section.paginator.count for section in sections.values()) <= min(
        section.limit for section in sections.values()
    ):
        return sitemap_views.sitemap(request, sitemaps=sections)
    response = sitemap_views.index(
        request, sitemaps=sections, sitemap_url_name="portal:sitemap_section"
    )
    # Django names the section files on the host the request came in on; the sections
    # name their pages on PORTAL_BASE_URL, and so does the index.
    origin = f"{request.scheme}://{request.get_host()}"
    base = settings.PORTAL_BASE_URL.rstrip("/")
    for item in response.context_data["sitemaps"]:
        item.location = base + item.location.removeprefix(origin)
    return response


@require_safe
@public_page
def sitemap_section(request, section: str):
    if section not in SITEMAPS:
        raise Http404
    return sitemap_views.sitemap(request, sitemaps=_sections(), section=section)


@require_safe
@public_page
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {settings.PORTAL_BASE_URL.rstrip('/')}{reverse('portal:sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@public_page
def sitemap_page(request):
    return render(
        request,
        "portal/sitemap.html",
        {"years": public_years(), "kinds": Kind.choices, "sitemap_xml": reverse("portal:sitemap")},
    )


@require_safe
@public_page
def privacy(request):
    return render(
        request,
        "portal/privacy.html",
        {
            "opinion_days": settings.PORTAL_OPINION_CONTACT_RETENTION_DAYS,
            "registration_days": settings.PORTAL_REGISTRATION_RETENTION_DAYS,
        },
    )


@require_safe
@public_page
def help_page(request):
    return render(
        request,
        "portal/help.html",
        {
            "matters_url": reverse("matters:public_list"),
            "catalogs_url": reverse("annual_plans:public_list"),
            "open_url": reverse("participation:open_comment_periods"),
            "activities_url": reverse("participation:activity_list"),
            "accessibility_url": reverse("portal:accessibility"),
        },
    )


@require_safe
@public_page
def accessibility(request):
    return render(request, "portal/accessibility.html")
