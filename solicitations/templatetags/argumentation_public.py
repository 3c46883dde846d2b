"""``{% matter_argumentations matter %}``: the completed expert argumentations on the public
matter page — title, date, form, how many experts gave opinions, the panel's conclusion and
summary. Never an expert's name or an individual opinion, and nothing of an open one."""

from django import template
from django.db.models import Count, Q

from ..models import Argumentation

register = template.Library()


def public_argumentations(matter):
    return (
        Argumentation.objects.filter(matter=matter, status=Argumentation.Status.COMPLETED)
        .annotate(heard=Count("experts", filter=~Q(experts__conclusion="")))
        .only("title", "form", "held_on", "summary", "conclusion", "matter_id")
        .order_by("-held_on", "-pk")
    )


@register.inclusion_tag("solicitations/public/matter_argumentations.html")
def matter_argumentations(matter):
    argumentations = list(public_argumentations(matter)) if matter.is_published else []
    return {"matter": matter, "argumentations": argumentations}
