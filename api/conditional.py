"""Conditional GET: an ETag on every read, Last-Modified where it is exact, 304s.

The ETag is a hash of the body the client would receive, so it changes exactly when
the representation does, whatever changed it (a new opinion, a comment period that
opened at midnight). ``Last-Modified`` is sent on single objects, whose ``modified``
time moves with every change to them, and is then honoured in ``If-Modified-Since``;
a list sends it as the newest ``modified`` among its rows but answers conditional
requests by ETag only, since a row that left the list would not move that time.
"""

import datetime
import hashlib

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework import renderers, status

from .csv import CSVRenderer


class ConditionalMixin:
    """For read-only views: errors as JSON whatever the format, validators on success."""

    def last_modified(self, data) -> datetime.datetime | None:
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(response, "exception", False) and isinstance(
            getattr(response, "accepted_renderer", None), CSVRenderer
        ):
            response.accepted_renderer = renderers.JSONRenderer()
            response.accepted_media_type = "application/json"
            response.renderer_context = self.get_renderer_context()
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != status.HTTP_200_OK
            or response.streaming
            or not hasattr(response, "render")
        ):
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = etag
        modified = self.last_modified(response.data)
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        exact = modified if getattr(self, "last_modified_is_exact", False) else None
        conditional = get_conditional_response(
            request._request,
            etag=etag,
            last_modified=int(exact.timestamp()) if exact else None,
            response=response,
        )
        if conditional is not response:
            patch_vary_headers(conditional, ("Accept", "Authorization", "Cookie"))
        return conditional
