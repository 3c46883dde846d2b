"""``{% object_orders "matter" matter %}``: on the staff page of something the office can
supervise (a matter, a comment round, a suggestion or proposal), the 督办 orders about it
that the user may read, and for the office a link to issue one. A ``<dt>``/``<dd>`` pair
for the page's facts, so the lower apps need no knowledge of orders."""

from django import template

from ..models import TARGET_FIELDS
from ..rules import visible_orders

register = template.Library()


@register.inclusion_tag("oversight/object_orders.html", takes_context=True)
def object_orders(context, about: str, obj):
    user = context["request"].user
    orders = list(
        visible_orders(user).filter(about=about, **{TARGET_FIELDS[about]: obj}).order_by("-pk")
    )
    can_issue = user.has_perm("oversight.issue_order")
    return {
        "orders": orders,
        "can_issue": can_issue,
        "about": about,
        "target": obj.pk,
        "show": bool(orders) or can_issue,
        "has_live": any(not order.is_closed for order in orders),
    }
