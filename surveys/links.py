"""Paths of the survey pages other parts of the portal link to (the API, search, the
sitemap, reminders, the supervision dashboard).

The pages themselves are named in ``surveys/urls_*.py``; until a name exists these fall
back to the path it will have, so the callers never depend on the order the pages are
added in. Once every page is in place the fallbacks are never used.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


def _path(name: str, fallback: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def public_path(pk: int) -> str:
    """The public page of a survey (answering it, and its results when they are public)."""
    return _path("surveys:public_detail", f"/surveys/{pk}/", pk)


def staff_results_path(pk: int) -> str:
    """The staff's results page of a survey."""
    return _path("surveys:staff_results", f"/staff/surveys/{pk}/results/", pk)


def staff_list_path(*, department: int | None = None, year: int | None = None) -> str:
    """The staff's list of surveys, filtered by department and year."""
    path = _path("surveys:staff_list", "/staff/surveys/")
    query = {k: v for k, v in (("department", department), ("year", year)) if v}
    return f"{path}?{urlencode(query)}" if query else path
