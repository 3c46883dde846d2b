"""Absolute links in API bodies and the open-data archive.

With a request, links point at the host the client used; without one (the nightly
archive), at ``PORTAL_BASE_URL``.
"""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# An integer no real id reaches and no URL prefix contains.
PLACEHOLDER = 918273645501


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
        return self.link(**{name: getattr(obj, attr) for name, attr in self.url_kwargs.items()})

    def link(self, **kwargs) -> str:
        template = self.__dict__.get("_template")
        if template is None:
            template = self._template = link_template(
                self.view_name, self.context.get("request"), names=tuple(self.url_kwargs)
            )
        return template.format(**{name: int(value) for name, value in kwargs.items()})


def link_template(view_name: str, request=None, *, names: tuple[str, ...] = ("pk",)) -> str:
    """The absolute link of ``view_name`` as a ``str.format`` template of its integer
    arguments ``names``. Resolving a URL name for each of 250 rows costs more than the
    rest of the row, so lists reverse once with placeholders and fill in each row."""
    placeholders = {name: PLACEHOLDER + i for i, name in enumerate(names)}
    link = absolute_url(reverse(view_name, kwargs=placeholders), request)
    link = link.replace("{", "{{").replace("}", "}}")
    for name, number in placeholders.items():
        link = link.replace(str(number), f"{{{name}}}")
    return link
