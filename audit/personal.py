"""Pages that show people's contact details (a participant's phone, a proposer's or
commenter's contact, a registrant's phone): each time one is served, a row of the trail
says who read whose, from where (个人信息保护: reads of personal data are audited)."""

from functools import wraps

from django.utils.translation import gettext_lazy as _lazy

from .models import Kind
from .services import in_trail_language, record

# Every view decorated below, by its dotted name: a test lists them, so that none is
# dropped unnoticed.
CONTACT_VIEWS: dict[str, str] = {}
DOWNLOAD_VIEWS: dict[str, str] = {}


def shows_contact_details(what: str):
    """Decorate a view whose page shows contact details of ``what`` (a label for the
    trail, e.g. "公开征集建议")."""

    def decorate(view):
        CONTACT_VIEWS[f"{view.__module__}.{view.__name__}"] = what

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                _served(request, Kind.CONTACT_VIEWED, _lazy("查看%(what)s的联系方式"), what, kwargs)
            return response

        return wrapped

    return decorate


def downloads_personal_data(what: str):
    """Decorate a view that serves a file people sent in (an attachment to a proposal, a
    scanned letter): each download is a row of the trail."""

    def decorate(view):
        DOWNLOAD_VIEWS[f"{view.__module__}.{view.__name__}"] = what

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                _served(request, Kind.PERSONAL_DATA_EXPORTED, _lazy("下载%(what)s"), what, kwargs)
            return response

        return wrapped

    return decorate


@in_trail_language
def _served(request, kind: str, summary, what: str, kwargs: dict) -> None:
    """One row for a page or file served with personal data: the view, the object's ids
    from the address, and for a list its query."""
    match = getattr(request, "resolver_match", None)
    record(
        kind,
        request=request,
        target_type=match.view_name if match else "",
        target_id=":".join(str(value) for value in kwargs.values()),
        summary=str(summary) % {"what": what},
        detail={"query": request.GET.urlencode()[:200]} if request.GET else {},
    )
