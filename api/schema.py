"""The OpenAPI schema of the open API: what every v1 operation may answer besides 200.

Every refusal the API gives (``errors.exception_handler``) and the conditional GET of
``conditional.ConditionalMixin`` apply to every operation, so they are documented here
once, for each operation under /api/v1/, rather than on every view.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .errors import ErrorSerializer

API_PREFIX = "/api/v1/"

ERROR_DESCRIPTIONS = {
    400: _("查询参数有误：fields 列出出错的参数及原因"),
    401: _("令牌无效或账号已停用；不带令牌即按匿名访问"),
    404: _("未找到：对象不存在或无权查看，页码超出范围，或不支持的 format"),
    406: _("无法按 Accept 请求头给出的数据格式返回"),
    429: _("请求过于频繁：Retry-After 响应头和 retry_after 给出需等待的秒数"),
}
LIST_ERRORS = (400, 401, 404, 406, 429)
DETAIL_ERRORS = (401, 404, 406, 429)

ERROR_HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": _("认证方式，取值为 Token"),
            "required": True,
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": _("需等待的秒数"),
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}

ETAG = {
    "description": _("表示内容的实体标签，可在 If-None-Match 中回传；CSV 导出不提供"),
    "schema": {"type": "string"},
}
LAST_MODIFIED = {
    "description": _("内容最后变动的时间（HTTP 日期）；单个对象可在 If-Modified-Since 中回传"),
    "schema": {"type": "string"},
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error and conditional-GET responses of v1."""

    def _in_api(self) -> bool:
        return self.path.startswith(API_PREFIX)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if not self._in_api():
            return parameters
        return [
            *parameters,
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_("上次响应的 ETag；内容未变时返回 304 且不带正文"),
            ),
            OpenApiParameter(
                "If-Modified-Since",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description=_(
                    "HTTP 日期；单个对象在此之后未变动时返回 304。列表只按 If-None-Match 判断"
                ),
            ),
        ]

    def _get_filter_parameters(self):
        """The bounds the filter forms enforce (year 1949–2100, q up to 100 characters…),
        so that the schema promises what a request may carry."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        if not self._in_api() or filterset_class is None:
            return parameters
        fields = filterset_class(queryset=None).form.fields
        for parameter in parameters:
            field, schema = fields.get(parameter["name"]), parameter["schema"]
            bounds = {
                "minimum": getattr(field, "min_value", None),
                "maximum": getattr(field, "max_value", None),
                "maxLength": getattr(field, "max_length", None),
            }
            applies = {"integer": ("minimum", "maximum"), "string": ("maxLength",)}
            for key in applies.get(schema.get("type"), ()):
                if bounds[key] is not None:
                    schema[key] = bounds[key]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if not self._in_api() or self.method != "GET":
            return responses
        for code, response in responses.items():
            if code.startswith("2"):
                response.setdefault("headers", {}).update(
                    {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
                )
        responses.setdefault(
            "304",
            {
                "description": _("内容自 If-None-Match 或 If-Modified-Since 所示版本以来未变"),
                "headers": {"ETag": ETAG},
            },
        )
        codes = LIST_ERRORS if self._is_list_view() else DETAIL_ERRORS
        for code in codes:
            response = self._get_response_for_code(
                ErrorSerializer, str(code), media_types=["application/json"], direction=direction
            )
            response["description"] = ERROR_DESCRIPTIONS[code]
            if code in ERROR_HEADERS:
                response["headers"] = ERROR_HEADERS[code]
            responses.setdefault(str(code), response)
        return responses
