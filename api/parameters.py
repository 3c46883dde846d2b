"""Query parameters as the API reads them: an empty one is one not given.

Forms and scripts send every field they have, filled or not (``?cursor=&page=1``). Each
reader of a parameter (paging, filters, ordering, format, ``q``) deciding for itself what
an empty value means made ``cursor=`` switch to cursor paging and ``ordering=`` clash with
it, so empty values are dropped once, before DRF wraps the request: from ``GET`` and from
the query string the ``next``/``previous`` links and conditional GET are built from.
"""

from django.http import HttpRequest, QueryDict


def drop_empty_parameters(request: HttpRequest) -> None:
    if all(value != "" for _key, values in request.GET.lists() for value in values):
        return
    kept = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        filled = [value for value in values if value != ""]
        if filled:
            kept.setlist(key, filled)
    request.META["QUERY_STRING"] = kept.urlencode()
    kept._mutable = False
    request.GET = kept
