"""The JSON error body the API gives, for the API and for what answers before it.

    {"error": {"status": 400, "code": "invalid", "message": "……", "fields": {"year": ["……"]}}}

The API's exception handler (``api.errors``) shapes DRF's refusals this way; the error
pages and the database-unavailable middleware answer requests under ``/api/`` with it.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import status

MESSAGES = {
    status.HTTP_400_BAD_REQUEST: lambda: _("请求参数有误。"),
    status.HTTP_401_UNAUTHORIZED: lambda: _("身份认证失败，请检查令牌。"),
    status.HTTP_403_FORBIDDEN: lambda: _("没有权限访问。"),
    status.HTTP_404_NOT_FOUND: lambda: _("未找到请求的资源。"),
    status.HTTP_405_METHOD_NOT_ALLOWED: lambda: _("开放接口只提供读取。"),
    status.HTTP_406_NOT_ACCEPTABLE: lambda: _("不支持请求的数据格式。"),
    status.HTTP_429_TOO_MANY_REQUESTS: lambda: _("请求过于频繁，请稍后再试。"),
    status.HTTP_500_INTERNAL_SERVER_ERROR: lambda: _("服务器内部错误，请稍后再试。"),
}


def error_body(status_code: int, *, code: str, message: str | None = None, **extra) -> dict:
    error = {"status": status_code, "code": code, "message": message or MESSAGES[status_code]()}
    error.update(extra)
    return {"error": error}


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def json_not_found(request) -> JsonResponse:
    return JsonResponse(error_body(404, code="not_found"), status=404)


def json_server_error(request) -> JsonResponse:
    return JsonResponse(error_body(500, code="server_error"), status=500)
