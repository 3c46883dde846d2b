"""``{% matter_solicitations matter %}``: the matter's letters of solicitation on its staff
page (with the counts of answers), so the matters app needs no knowledge of them."""

from django import template
from django.db.models import Count, Q

from ..models import Addressee
from ..rules import visible_solicitations

register = template.Library()


@register.inclusion_tag("solicitations/staff/matter_letters.html", takes_context=True)
def matter_solicitations(context, matter):
    user = context["request"].user
    main = Q(addressees__role=Addressee.Role.MAIN)
    solicitations = list(
        visible_solicitations(user)
        .filter(matter=matter)
        .annotate(
            sent_to=Count("addressees", filter=main),
            answered=Count("addressees", filter=main & Q(addressees__status="answered")),
            deemed=Count("addressees", filter=main & Q(addressees__status="deemed")),
        )
        .order_by("-created_at", "-pk")
    )
    can_create = user.has_perm("solicitations.create_solicitation", matter)
    return {
        "matter": matter,
        "solicitations": solicitations,
        "can_view": bool(solicitations) or can_create,
        "can_create": can_create,
    }
