"""``{% matter_catalog_item matter public=... %}``: on a matter's pages, the catalog item
it carries out (目录事项), so the matters app needs no knowledge of catalogs. The public
page names it only when its catalog is published; staff see it in any state."""

from django import template

from ..models import AnnualPlan, PlanItem

register = template.Library()


@register.inclusion_tag("annual_plans/matter_catalog_item.html")
def matter_catalog_item(matter, public=False):
    items = PlanItem.objects.filter(matter=matter).select_related("plan").order_by("-plan__year")
    if public:
        items = items.filter(plan__status=AnnualPlan.Status.PUBLISHED)
    return {"item": items.first(), "public": public}
