"""What the staff's survey views share: finding the survey the user may see."""

from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from core.permissions import require_perm

from ...models import Survey
from ...rules import visible_surveys


def survey_or_404(request, pk: int, permission: str = "surveys.view_survey") -> Survey:
    """The survey, 404 if the user may not see it, 403 without ``permission`` on it."""
    survey = get_object_or_404(
        visible_surveys(request.user).select_related("matter", "department", "created_by"),
        pk=pk,
    )
    require_perm(request, permission, survey)
    return survey


def optional_url(name: str, *args) -> str:
    """A link to a page another part of the surveys app serves ('' until it exists)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
