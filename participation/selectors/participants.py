"""Reads of the participant registry."""

from django.db.models import Q, QuerySet

from ..models import Participant


def participants_filtered(
    *, category: str = "", q: str = "", active: str = ""
) -> QuerySet[Participant]:
    queryset = Participant.objects.select_related("department")
    if category:
        queryset = queryset.filter(category=category)
    if active == "yes":
        queryset = queryset.filter(is_active=True)
    elif active == "no":
        queryset = queryset.filter(is_active=False)
    q = q.strip()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(affiliation__icontains=q) | Q(expertise__icontains=q)
        )
    return queryset.order_by("category", "name", "pk")
