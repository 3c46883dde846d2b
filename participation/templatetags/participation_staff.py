"""``{% matter_participation_links matter %}``: links from a matter's staff page to its
activities and comment periods, so the matters app needs no knowledge of participation."""

from django import template

register = template.Library()


@register.inclusion_tag("participation/matter_staff_links.html", takes_context=True)
def matter_participation_links(context, matter):
    user = context["request"].user
    return {
        "matter": matter,
        "can_manage": user.has_perm("participation.manage", matter),
    }
