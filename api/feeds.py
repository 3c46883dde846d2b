"""An Atom feed of what was newly made public: published matters and published annual
plan catalogs, newest first, for feed readers and for sites that mirror the portal."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from accounts.city import city_name
from annual_plans.selectors import plans_public
from matters.models import Matter
from matters.selectors import matters_public

FEED_SIZE = 50


def _newest_first(queryset):
    return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")[:FEED_SIZE]


class PublishedFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("%(city)s政府协商工作平台：新公开的协商事项和计划目录") % {"city": city_name()}

    def subtitle(self):
        return _("最近公开的%(count)d项协商事项和公示的年度计划目录，按公开时间倒序排列。") % {
            "count": FEED_SIZE
        }

    def link(self):
        return reverse("home")

    def feed_url(self):
        return reverse("opendata:feed")

    def author_name(self):
        return _("%(city)s人民政府办公厅") % {"city": city_name()}

    def items(self):
        """Two queries per kind (the rows, and the matters' areas or the plans' items)."""
        matters = list(_newest_first(matters_public()))
        plans = list(_newest_first(plans_public()))
        items = matters + plans
        items.sort(key=lambda item: item.published_at or item.updated_at, reverse=True)
        return items[:FEED_SIZE]

    def item_title(self, item):
        return item.title if isinstance(item, Matter) else str(item)

    # Without item_guid each entry's <id> is its public page's absolute address: stable,
    # and different for a matter and a catalog with the same number.
    def item_link(self, item):
        if isinstance(item, Matter):
            return reverse("matters:public_detail", args=[item.pk])
        return reverse("annual_plans:public_detail", args=[item.pk])

    def item_description(self, item):
        if isinstance(item, Matter):
            return item.summary
        if item.is_empty:
            return _("%(department)s，%(year)d年度，本年度无协商事项。") % {
                "department": item.department.name,
                "year": item.year,
            }
        return _("%(department)s，%(year)d年度，共%(count)d个协商事项。") % {
            "department": item.department.name,
            "year": item.year,
            "count": len(item.items.all()),
        }

    def item_pubdate(self, item):
        return item.published_at or item.updated_at

    def item_updateddate(self, item):
        return item.published_at or item.updated_at

    def item_author_name(self, item):
        return item.department.name

    def item_categories(self, item):
        if isinstance(item, Matter):
            return [_("协商事项"), item.get_kind_display()]
        return [_("年度计划目录")]
