"""``{% matter_argumentations matter %}``: the matter's expert argumentations on its staff
page, so the matters app needs no knowledge of them."""

from django import template
from django.db.models import Prefetch

from ..models import Expert
from ..rules import visible_argumentations

register = template.Library()


@register.inclusion_tag("solicitations/staff/matter_links.html", takes_context=True)
def matter_argumentations(context, matter):
    user = context["request"].user
    argumentations = list(
        visible_argumentations(user)
        .filter(matter=matter)
        .prefetch_related(Prefetch("experts", queryset=Expert.objects.order_by("pk")))
    )
    can_create = user.has_perm("solicitations.create_argumentation", matter)
    return {
        "matter": matter,
        "argumentations": argumentations,
        "can_view": bool(argumentations) or can_create,
        "can_create": can_create,
    }
