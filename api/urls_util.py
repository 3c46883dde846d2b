"""Absolute links in API bodies and the open-data archive.

With a request, links point at the host the client used; without one (the nightly
archive), at ``PORTAL_BASE_URL``.
"""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute_url(path: str, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """An absolute link to a page or file, built from a URL name and the object.

    ``kwargs`` maps URL keyword arguments to attributes of the object; ``when`` is an
    optional test on the object, without which the link is null.
    """

    def __init__(self, view_name: str, *, kwargs=None, when=None, **options):
        self.view_name = view_name
        self.url_kwargs = kwargs or {"pk": "pk"}
        self.when = when
        options["source"] = "*"
        options["read_only"] = True
        super().__init__(**options)

    def to_representation(self, obj):
        if self.when is not None and not self.when(obj):
            return None
        path = reverse(
            self.view_name,
            kwargs={name: getattr(obj, attr) for name, attr in self.url_kwargs.items()},
        )
        return absolute_url(path, self.context.get("request"))
