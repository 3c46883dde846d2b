"""``/sitemap.xml`` (django.contrib.sitemaps): every page the public may read, with the
time it last changed, for search engines and the government website inspection.

Each section lists one kind of public page, named by ``url_name``; a test holds the
access matrix's public pages against these names, so a new kind of public page that is
not listed here (or not set aside on purpose) fails the suite. The rows are read through
the apps' public selectors, so the sitemap lists exactly what their pages show, as light
``values()`` rows in primary-key order: a page of 50,000 rows reads no model instances.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse

from annual_plans.models import AnnualPlan
from annual_plans.selectors import plans_public
from calls.selectors import calls_public
from matters.models import DraftVersion
from matters.selectors import matters_public
from participation.selectors.activities import activities_public
from participation.selectors.comments import comment_periods_public
from proposals.selectors import proposals_public
from surveys.rules import public_surveys


class PortalSitemap(Sitemap):
    """Absolute addresses on ``PORTAL_BASE_URL``, the address the portal is known by (as in
    e-mails and open data), not whatever host name a request came in on."""

    url_name = ""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.PORTAL_BASE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.PORTAL_BASE_URL).netloc


class ListPagesSitemap(PortalSitemap):
    """The public list pages and the portal's own pages, each dated by the newest change
    of what it lists."""

    changefreq = "daily"
    priority = 0.8
    url_name = "list pages"

    PAGES = (
        "home",
        "matters:public_list",
        "participation:open_comment_periods",
        "participation:activity_list",
        "proposals:public_list",
        "surveys:public_list",
        "calls:list",
        "opendata:index",
        "portal:sitemap_page",
        "portal:privacy",
        "portal:help",
        "portal:accessibility",
    )

    def items(self):
        self.newest = _newest_changes()
        return list(self.PAGES)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self.newest.get(item)


def _newest_changes() -> dict:
    """The newest change among what each list page shows: four queries for the lot."""
    matters = matters_public().order_by().aggregate(last=Max("updated_at"))["last"]
    plans = AnnualPlan.objects.filter(status=AnnualPlan.Status.PUBLISHED).aggregate(
        last=Max("updated_at")
    )["last"]
    activities = activities_public().order_by().aggregate(last=Max("updated_at"))["last"]
    proposals = proposals_public().order_by().aggregate(last=Max("updated_at"))["last"]
    newest = max((when for when in (matters, plans, activities) if when), default=None)
    return {
        "home": newest,
        "matters:public_list": matters,
        "participation:open_comment_periods": matters,
        "participation:activity_list": activities,
        "proposals:public_list": proposals,
    }


class MatterSitemap(PortalSitemap):
    url_name = "matters:public_detail"

    def items(self):
        return matters_public().order_by("pk").values("pk", "updated_at")

    def location(self, item):
        return reverse(self.url_name, args=[item["pk"]])

    def lastmod(self, item):
        return item["updated_at"]


class DraftSitemap(PortalSitemap):
    url_name = "matters:draft_detail"

    def items(self):
        return (
            DraftVersion.objects.filter(is_published=True, matter__in=matters_public())
            .order_by("pk")
            .values("matter_id", "number", "published_at")
        )

    def location(self, item):
        return reverse(self.url_name, args=[item["matter_id"], item["number"]])

    def lastmod(self, item):
        return item["published_at"]


class CatalogSitemap(PortalSitemap):
    """Each department's published catalog."""

    url_name = "annual_plans:public_detail"

    def items(self):
        return plans_public().order_by("pk").values("pk", "updated_at")

    def location(self, item):
        return reverse(self.url_name, args=[item["pk"]])

    def lastmod(self, item):
        return item["updated_at"]


class CatalogYearSitemap(PortalSitemap):
    """A year's catalogs, and its two municipal consolidated catalogs."""

    url_name = "annual_plans:public_year"
    CONSOLIDATED = ("major-decisions", "non-party")

    def items(self):
        years = (
            AnnualPlan.objects.filter(status=AnnualPlan.Status.PUBLISHED)
            .values("year")
            .annotate(last=Max("updated_at"))
            .order_by("-year")
        )
        return [
            (row["year"], which, row["last"])
            for row in years
            for which in (None, *self.CONSOLIDATED)
        ]

    def location(self, item):
        year, which, _last = item
        if which is None:
            return reverse(self.url_name, args=[year])
        return reverse("annual_plans:consolidated", args=[year, which])

    def lastmod(self, item):
        return item[2]


class ActivitySitemap(PortalSitemap):
    url_name = "participation:activity_detail"

    def items(self):
        return activities_public().order_by("pk").values("pk", "updated_at")

    def location(self, item):
        return reverse(self.url_name, args=[item["pk"]])

    def lastmod(self, item):
        return item["updated_at"]


class CommentPeriodSitemap(PortalSitemap):
    """Each comment period's page: the draft, the opinions shown and, once published, the
    feedback report on how they were used (dated by the report)."""

    url_name = "participation:comment_period"

    def items(self):
        return (
            comment_periods_public()
            .order_by("pk")
            .annotate(changed=Coalesce("report_published_at", "created_at"))
            .values("pk", "changed")
        )

    def location(self, item):
        return reverse(self.url_name, args=[item["pk"]])

    def lastmod(self, item):
        return item["changed"]


class ProposalSitemap(PortalSitemap):
    """Each public suggestion or proposal, with its replies once sent."""

    url_name = "proposals:public_detail"

    def items(self):
        return proposals_public().order_by("pk").values("pk", "updated_at")

    def location(self, item):
        return reverse(self.url_name, args=[item["pk"]])

    def lastmod(self, item):
        return item["updated_at"]


class SurveySitemap(PortalSitemap):
    """Each public survey or poll (offline records have no page of their own)."""

    url_name = "surveys:public_detail"

    def items(self):
        return public_surveys().order_by("pk").values("pk", "updated_at")

    def location(self, item):
        return reverse(self.url_name, args=[item["pk"]])

    def lastmod(self, item):
        return item["updated_at"]


class CallSitemap(PortalSitemap):
    """Each published call: its guidance while open, its screening result once out."""

    url_name = "calls:detail"

    def items(self):
        return (
            calls_public()
            .order_by("pk")
            .annotate(changed=Coalesce("results_published_at", "published_at"))
            .values("pk", "changed")
        )

    def location(self, item):
        return reverse(self.url_name, args=[item["pk"]])

    def lastmod(self, item):
        return item["changed"]


SITEMAPS = {
    "pages": ListPagesSitemap,
    "matters": MatterSitemap,
    "drafts": DraftSitemap,
    "catalogs": CatalogSitemap,
    "catalog-years": CatalogYearSitemap,
    "activities": ActivitySitemap,
    "consultations": CommentPeriodSitemap,
    "proposals": ProposalSitemap,
    "surveys": SurveySitemap,
    "calls": CallSitemap,
}
