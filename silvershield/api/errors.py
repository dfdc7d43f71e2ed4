"""One error shape for the whole API: ``{"detail": [{"field": ..., "message": ...}]}`` on 400.

- a service's ``django.core.exceptions.ValidationError`` → 400 with its (Chinese) field messages;
- a request that does not match the schema → 400 (not ninja's 422), messages in Chinese;
- an object outside the user's scope → 404; a forbidden action → 403; no or bad token → 401.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

# Service field names that the API spells differently (the API names regions by code and
# nests the reporter).
FIELD_NAMES = {
    "region": "region_code",
    "reporter_name": "reporter.name",
    "reporter_phone": "reporter.phone",
    "reporter_id_number": "reporter.id_number",
    "reporter_address": "reporter.address",
}
# Locations ninja puts first in an error's ``loc``; a body's second element is the parameter.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
_BODY_PARAM = "payload"

FieldError = dict[str, str | None]
E = TypeVar("E", bound=Exception)


class ApiFieldError(Exception):
    """A field error raised by the API layer itself (e.g. an unknown region code)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _choices(ctx: dict[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ").replace(", ", "、")


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    messages = {
        "missing": "必填",
        "string_too_long": f"不超过{ctx.get('max_length')}个字符",
        "string_too_short": f"不少于{ctx.get('min_length')}个字符",
        "too_long": f"不超过{ctx.get('max_length')}项",
        "string_type": "应为文本",
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "int_from_float": "应为整数",
        "greater_than_equal": f"不能小于{ctx.get('ge')}",
        "greater_than": f"应大于{ctx.get('gt')}",
        "less_than_equal": f"不能大于{ctx.get('le')}",
        "less_than": f"应小于{ctx.get('lt')}",
        "decimal_parsing": "金额格式不正确",
        "decimal_type": "金额格式不正确",
        "decimal_max_digits": "金额位数过多",
        "decimal_max_places": f"小数不超过{ctx.get('decimal_places')}位",
        "decimal_whole_digits": "金额整数位数过多",
        "finite_number": "应为有限数值",
        "date_parsing": "日期格式应为 YYYY-MM-DD",
        "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
        "date_type": "日期格式应为 YYYY-MM-DD",
        "datetime_parsing": "时间格式应为 ISO 8601（含时区）",
        "datetime_from_date_parsing": "时间格式应为 ISO 8601（含时区）",
        "datetime_type": "时间格式应为 ISO 8601（含时区）",
        "timezone_aware": "时间须带时区，例如 2026-03-01T09:30:00+08:00",
        "enum": f"取值无效，可选：{_choices(ctx)}",
        "literal_error": f"取值无效，可选：{_choices(ctx)}",
        "bool_parsing": "应为 true 或 false",
        "bool_type": "应为 true 或 false",
        "json_invalid": "请求内容不是有效的 JSON",
        "model_type": "应为 JSON 对象",
        "model_attributes_type": "应为 JSON 对象",
        "dict_type": "应为 JSON 对象",
        "list_type": "应为列表",
        "extra_forbidden": "不支持的字段",
    }
    return messages.get(kind) or str(error.get("msg", "取值无效"))


def _field(loc: list[Any]) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        location = parts.pop(0)
        if location == "body" and parts and parts[0] == _BODY_PARAM:
            parts.pop(0)
    return ".".join(parts) or None


def schema_errors(errors: list[dict[str, Any]]) -> list[FieldError]:
    return [{"field": _field(list(e.get("loc", []))), "message": _message(e)} for e in errors]


def service_errors(exc: ValidationError) -> list[FieldError]:
    if hasattr(exc, "error_dict"):
        result: list[FieldError] = []
        for field, messages in exc.message_dict.items():
            name = None if field == "__all__" else FIELD_NAMES.get(field, field)
            result.extend({"field": name, "message": m} for m in messages)
        return result
    return [{"field": None, "message": m} for m in exc.messages]


def install(api: NinjaAPI) -> None:
    def bad_request(request: HttpRequest, errors: list[FieldError]) -> HttpResponse:
        return api.create_response(request, {"detail": errors}, status=400)

    def on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        return bad_request(request, schema_errors(exc.errors))

    def on_service_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return bad_request(request, service_errors(exc))

    def on_field_error(request: HttpRequest, exc: ApiFieldError) -> HttpResponse:
        return bad_request(request, [{"field": exc.field, "message": exc.message}])

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return bad_request(request, [{"field": None, "message": "请求内容过大"}])

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own errors, e.g. a body that is not JSON ("Cannot parse request body").
        if exc.status_code == 400:
            return bad_request(
                request, [{"field": None, "message": f"请求内容无法解析：{exc.message}"}]
            )
        return api.create_response(request, {"detail": exc.message}, status=exc.status_code)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "未找到，或不在您的查看范围内"}, status=404)

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": "您没有执行此操作的权限"}, status=403)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request, {"detail": "未认证：请在 Authorization 头中提供有效的接口令牌"}, status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="silvershield"'
        return response

    _register(api, HttpError, on_http_error)
    _register(api, SchemaValidationError, on_schema_error)
    _register(api, ValidationError, on_service_error)
    _register(api, ApiFieldError, on_field_error)
    _register(api, RequestDataTooBig, on_too_big)
    _register(api, Http404, on_not_found)
    _register(api, PermissionDenied, on_forbidden)
    _register(api, AuthenticationError, on_unauthenticated)


def _register(
    api: NinjaAPI, exc_class: type[E], handler: Callable[[HttpRequest, E], HttpResponse]
) -> None:
    # ninja types a handler's argument as ``E | type[E]``; it always passes the instance.
    api.add_exception_handler(exc_class, cast("Any", handler))
