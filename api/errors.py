"""One JSON error shape for every refusal the API gives.

    {"error": {"status": 400, "code": "invalid", "message": "……", "fields": {"year": ["……"]}}}

``fields`` appears only on 400s about named parameters; ``retry_after`` only on 429s.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

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


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text=gettext_lazy("HTTP 状态码，与响应状态一致"))
    code = serializers.CharField(
        help_text=gettext_lazy(
            "错误代码，如 invalid、not_authenticated、authentication_failed、not_found、"
            "not_acceptable、throttled"
        )
    )
    message = serializers.CharField(help_text=gettext_lazy("面向使用者的错误说明"))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=gettext_lazy("仅在 400 时出现：出错的参数名及其错误说明"),
    )
    retry_after = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("仅在 429 时出现：建议等待的秒数"),
    )


class ErrorSerializer(serializers.Serializer):
    # The documented shape of every error body; no docstring, which the schema would show.
    error = ErrorDetailSerializer(help_text=gettext_lazy("错误详情"))


def error_body(status_code: int, *, code: str, message: str | None = None, **extra) -> dict:
    error = {"status": status_code, "code": code, "message": message or MESSAGES[status_code]()}
    error.update(extra)
    return {"error": error}


def _field_messages(detail) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, messages in detail.items():
        if isinstance(messages, dict):  # nested: flatten "a.b"
            for sub, sub_messages in _field_messages(messages).items():
                fields[f"{name}.{sub}"] = sub_messages
        elif isinstance(messages, list | tuple):
            fields[name] = [str(message) for message in messages]
        else:
            fields[name] = [str(messages)]
    return fields


def exception_handler(exc, context):
    """DRF's handler (it sets Allow, WWW-Authenticate and Retry-After), reshaped."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    extra = {}
    message = None
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        extra["fields"] = _field_messages(exc.detail)
        code = "invalid"
    elif isinstance(exc, exceptions.Throttled):
        extra["retry_after"] = int(exc.wait) if exc.wait is not None else None
        message = _("请求过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": int(exc.wait or 1)}
    elif isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str | list):
        detail = exc.detail if isinstance(exc.detail, str) else " ".join(map(str, exc.detail))
        if response.status_code == status.HTTP_400_BAD_REQUEST:
            message = str(detail)
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
    response.data = error_body(response.status_code, code=code, message=message, **extra)
    return response


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


def json_not_found(request) -> JsonResponse:
    return JsonResponse(error_body(404, code="not_found"), status=404)


def json_server_error(request) -> JsonResponse:
    return JsonResponse(error_body(500, code="server_error"), status=500)
