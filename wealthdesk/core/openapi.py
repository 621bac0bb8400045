"""drf-spectacular postprocessing: the error answers every operation can give are part of the schema.

The API answers 400 (bad input, ``{field: [reason]}``), 401 (no or bad token), 403 (wrong role, agreement not
signed), 404 (outside the scope), 409 (stale version) and 429 (throttled) with a JSON object; this hook documents
them on every operation so that clients (and schemathesis) know them.
"""
from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "错误说明：字段名 → 原因列表，或 detail → 原因",
    "additionalProperties": True,
}
ERRORS = {
    "400": "请求参数有误（按字段说明原因）",
    "401": "未登录或令牌无效",
    "403": "岗位无权操作，或未签署保密协议",
    "404": "不存在或不在管辖范围内",
    "405": "不支持的请求方法",
    "409": "记录已被他人修改（版本过期）",
    "415": "不支持的请求内容类型",
    "429": "请求过于频繁",
}


def document_error_responses(result, generator, request, public):
    """Add the standard error responses (JSON object) to every operation that lacks them."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method.lower() not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description,
                                            "content": {"application/json": {"schema": ERROR_SCHEMA}}})
    return result
