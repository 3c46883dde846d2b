"""The request being served, for rows written by signal receivers that are not given it
(an admin action, a token issued, a role changed): who did it and from where."""

import contextlib
import contextvars

_request = contextvars.ContextVar("audit_request", default=None)
_muted = contextvars.ContextVar("audit_muted", default=False)


def current_request():
    return _request.get()


def bind(request):
    return _request.set(request)


def unbind(token) -> None:
    _request.reset(token)


@contextlib.contextmanager
def muted():
    """Within it, the receivers record nothing: a site archive restored into an empty
    database puts back accounts and roles as they were, which nobody changed, and the
    trail it restores already says what happened to them."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()
