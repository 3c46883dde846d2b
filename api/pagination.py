"""Paging: numbered pages with a total count, or a cursor for full pulls.

``page_size`` defaults to 50 and may be at most 250; a larger, smaller or non-numeric
value is refused with a 400 naming the parameter, never silently clamped.
``paging=cursor`` switches to a cursor over a stable order (ascending id): each page
carries the link to the next, and rows added during a pull do not shift what comes
after, so a client can fetch everything without missing or repeating a row.
"""

from base64 import b64decode

from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from core.content_cache import CachedCountPaginator

PAGE_SIZE_PARAM = "page_size"
PAGING_PARAM = "paging"


def page_size_from(request) -> int:
    raw = request.query_params.get(PAGE_SIZE_PARAM)
    maximum = settings.PORTAL_API_MAX_PAGE_SIZE
    if raw is None:  # an empty value was dropped with the request (api.parameters)
        return settings.PORTAL_API_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise ValidationError(
            {
                PAGE_SIZE_PARAM: [
                    _("每页条数须为 1 至 %(maximum)d 之间的整数。") % {"maximum": maximum}
                ]
            }
        )
    return size


class NumberedPagination(pagination.PageNumberPagination):
    page_size_query_param = PAGE_SIZE_PARAM
    django_paginator_class = CachedCountPaginator

    def get_page_size(self, request):
        return page_size_from(request)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        # isdigit() alone also accepts "²", which int() refuses.
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({self.page_query_param: [_("页码须为正整数。")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise
        except InvalidPage as exc:  # pragma: no cover - DRF turns these into NotFound
            raise NotFound(_("页码超出范围。")) from exc

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": _("符合条件的总条数"),
            "next": _("下一页的地址；没有下一页时为 null"),
            "previous": _("上一页的地址；没有上一页时为 null"),
            "results": _("本页数据"),
        }
        for name, description in descriptions.items():
            response["properties"][name]["description"] = description
        return response

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": _("页码，从 1 开始；与 paging=cursor 不同时使用。"),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": PAGE_SIZE_PARAM,
                "required": False,
                "in": "query",
                "description": _("每页条数，默认 %(default)d，最多 %(maximum)d。")
                % {
                    "default": settings.PORTAL_API_PAGE_SIZE,
                    "maximum": settings.PORTAL_API_MAX_PAGE_SIZE,
                },
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": settings.PORTAL_API_MAX_PAGE_SIZE,
                },
            },
            {
                "name": PAGING_PARAM,
                "required": False,
                "in": "query",
                "description": _(
                    "page（默认）按页码分页；取 cursor 时按编号升序以游标分页，适合全量拉取："
                    "每页给出下一页地址，不计总数，不能同时指定 ordering 或 page。"
                ),
                "schema": {"type": "string", "enum": ["page", "cursor"]},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": _("游标分页时由上一页的 next 地址给出，不要自行构造。"),
                "schema": {"type": "string"},
            },
        ]


class StableCursorPagination(pagination.CursorPagination):
    ordering = ("id",)  # "id", not "pk": the matter list pages plain rows (dicts)
    page_size_query_param = PAGE_SIZE_PARAM

    def get_page_size(self, request):
        return page_size_from(request)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        try:
            if encoded is not None:
                # DRF's decoder skips characters outside base64, so "!!!" would be the
                # first page.
                b64decode(encoded.encode("ascii"), validate=True)
            cursor = super().decode_cursor(request)
            if cursor is not None and cursor.position is not None:
                int(cursor.position)  # a row id, or the query would fail with a 500
        except (NotFound, ValueError) as exc:
            raise ValidationError({self.cursor_query_param: [_("游标无效。")]}) from exc
        return cursor


class PortalPagination(pagination.BasePagination):
    """Numbered pages by default; the cursor when ``paging=cursor`` or a cursor is given."""

    def __init__(self):
        self.numbered = NumberedPagination()
        self.cursor = StableCursorPagination()
        self.active = self.numbered

    @staticmethod
    def wants_cursor(request) -> bool:
        paging = request.query_params.get(PAGING_PARAM)
        if paging not in (None, "cursor", "page"):
            raise ValidationError({PAGING_PARAM: [_("只能取 cursor 或 page。")]})
        return paging == "cursor" or "cursor" in request.query_params

    def paginate_queryset(self, queryset, request, view=None):
        if self.wants_cursor(request):
            clashes = [name for name in ("ordering", "page") if name in request.query_params]
            if clashes:
                raise ValidationError(
                    {name: [_("游标分页按编号排序，不能同时指定此参数。")] for name in clashes}
                )
            self.active = self.cursor
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        response = self.numbered.get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        response["properties"]["count"]["description"] = _("符合条件的总条数；游标分页时不提供")
        return response

    def get_schema_operation_parameters(self, view):
        return self.numbered.get_schema_operation_parameters(view)
