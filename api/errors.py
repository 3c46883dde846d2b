"""One JSON error shape for every refusal the API gives.

    {"error": {"status": 400, "code": "invalid", "message": "……", "fields": {"year": ["……"]}}}

``fields`` appears only on 400s about named parameters; ``retry_after`` only on 429s.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from core.json_errors import error_body


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
