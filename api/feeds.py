"""An Atom feed of what was newly made public: published matters, published annual plan
catalogs and the replies to public suggestions and proposals, newest first, for feed
readers and for sites that mirror the portal."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from accounts.city import city_name
from annual_plans.selectors import plans_public
from matters.models import Matter
from matters.selectors import matters_public
from proposals.models import Proposal
from proposals.selectors import proposals_public

FEED_SIZE = 50


def _newest_first(queryset, field: str = "published_at"):
    return queryset.order_by(F(field).desc(nulls_last=True), "-pk")[:FEED_SIZE]


def _department_name(proposal) -> str:
    return proposal.lead_department.name if proposal.lead_department else ""


def _when(item):
    if isinstance(item, Proposal):
        return item.replied_at
    return item.published_at or item.updated_at


class PublishedFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("%(city)s政府协商工作平台：新公开的协商事项、计划目录和建议提案答复") % {
            "city": city_name()
        }

    def subtitle(self):
        return _(
            "最近公开的%(count)d项协商事项、公示的年度计划目录和建议提案答复，按公开时间倒序排列。"
        ) % {"count": FEED_SIZE}

    def link(self):
        return reverse("home")

    def feed_url(self):
        return reverse("opendata:feed")

    def author_name(self):
        return _("%(city)s人民政府办公厅") % {"city": city_name()}

    def items(self):
        """Two queries per kind (the rows, and the matters' areas or the plans' items);
        one for the replied suggestions and proposals with their lead departments."""
        matters = list(_newest_first(matters_public()))
        plans = list(_newest_first(plans_public()))
        replied = proposals_public().filter(replied_at__isnull=False)
        proposals = list(_newest_first(replied, "replied_at"))
        items = matters + plans + proposals
        items.sort(key=_when, reverse=True)
        return items[:FEED_SIZE]

    def item_title(self, item):
        if isinstance(item, Proposal):
            return _("%(reference)s答复：%(title)s") % {
                "reference": item.reference,
                "title": item.title,
            }
        return item.title if isinstance(item, Matter) else str(item)

    # Without item_guid each entry's <id> is its public page's absolute address: stable,
    # and different for a matter and a catalog with the same number.
    def item_link(self, item):
        if isinstance(item, Matter):
            return reverse("matters:public_detail", args=[item.pk])
        if isinstance(item, Proposal):
            return reverse("proposals:public_detail", args=[item.pk])
        return reverse("annual_plans:public_detail", args=[item.pk])

    def item_description(self, item):
        if isinstance(item, Matter):
            return item.summary
        if isinstance(item, Proposal):
            return _("%(department)s答复，%(label)s。") % {
                "department": _department_name(item),
                "label": item.reply_class_label,
            }
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
        return _when(item)

    def item_updateddate(self, item):
        return _when(item)

    def item_author_name(self, item):
        if isinstance(item, Proposal):
            return _department_name(item)
        return item.department.name

    def item_categories(self, item):
        if isinstance(item, Matter):
            return [_("协商事项"), item.get_kind_display()]
        if isinstance(item, Proposal):
            return [_("建议提案答复"), item.get_kind_display()]
        return [_("年度计划目录")]
