"""How the audit log page reads (DESIGN rule 3): the object in words with a masked name, and one sentence per row
saying what was done — instead of ``customers.customer #4281`` and raw detail dicts.

``describe_rows(rows)`` sets ``row.object_label`` (the model's name and the object's masked name, from the namers
apps register with ``core.registry.register_audit_namer``), ``row.customer_label`` (the masked customer) and
``row.description`` on each row, with a fixed number of queries for a page of rows.
"""
from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditAction
from .registry import audit_namer

CUSTOMER_TYPE = "customers.customer"

# Words for the detail keys the apps write; keys not listed are shown by name.
KEY_LABELS = {
    "fields": gettext_lazy("字段"), "field": gettext_lazy("字段"), "reason": gettext_lazy("原因"),
    "status": gettext_lazy("状态"), "kind": gettext_lazy("类型"), "rows": gettext_lazy("行数"),
    "loaded": gettext_lazy("已载入"), "removed": gettext_lazy("已删除"), "period": gettext_lazy("期间"),
    "month": gettext_lazy("月份"), "date": gettext_lazy("日期"), "name": gettext_lazy("名称"),
    "as_of": gettext_lazy("数据日期"), "due_on": gettext_lazy("期限"), "told_on": gettext_lazy("告知日期"),
    "extended_to": gettext_lazy("延期至"), "parameter": gettext_lazy("参数"), "from": gettext_lazy("原值"),
    "to": gettext_lazy("新值"), "version": gettext_lazy("版本"), "route": gettext_lazy("转交"),
    "changes": gettext_lazy("变更数"), "closed": gettext_lazy("办结结论"), "method": gettext_lazy("方式"),
    "lookup": gettext_lazy("查找方式"), "found": gettext_lazy("找到"), "start": gettext_lazy("开始"),
    "end": gettext_lazy("结束"), "working": gettext_lazy("工作日"), "rule": gettext_lazy("规则"),
    "log": gettext_lazy("记录"), "submit": gettext_lazy("提交"), "submitted": gettext_lazy("已提交"),
}
USER_KEYS = ("owner", "assignee", "escalated_to")
EXPORT_KEYS = ("export", "form", "report")


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _value(value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}={_value(v)}" for k, v in value.items())
    return str(value)


def _names(rows) -> tuple[dict, dict]:
    """Masked object names per (type, id) and masked customer names per customer id, a query per type."""
    ids: dict[str, set] = defaultdict(set)
    for row in rows:
        if row.object_type and row.object_id:
            ids[row.object_type].add(row.object_id)
        if row.customer_id:
            ids[CUSTOMER_TYPE].add(str(row.customer_id))
    names = {}
    for object_type, wanted in ids.items():
        namer = audit_namer(object_type)
        if namer:
            names.update({(object_type, str(k)): v for k, v in namer(sorted(wanted)).items()})
    customers = {k[1]: v for k, v in names.items() if k[0] == CUSTOMER_TYPE}
    return names, customers


def _users(rows) -> dict[int, str]:
    ids = set()
    for row in rows:
        d = row.detail if isinstance(row.detail, dict) else {}
        if d.get("what") == "reassign":
            ids.update(v for v in (d.get("from"), d.get("to")) if isinstance(v, int))
        ids.update(d[k] for k in USER_KEYS if isinstance(d.get(k), int))
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=ids).only("id", "username", "full_name")
    return {u.pk: str(u) for u in users}


def describe(row, model, users: dict[int, str]) -> str:
    d = row.detail if isinstance(row.detail, dict) else {}
    what = model._meta.verbose_name if model is not None else ""
    action = row.get_action_display()
    if row.action == AuditAction.REVEAL:
        text = _("查看明文：%(field)s") % {"field": _field_label(model, d.get("field", ""))}
        return text + (_("（原因：%(reason)s）") % {"reason": d["reason"]} if d.get("reason") else "")
    if row.action == AuditAction.EXPORT:
        title = next((d[k] for k in EXPORT_KEYS if d.get(k)), "")
        if title:
            title = title if str(title).startswith("《") else f"《{title}》"
            return _("导出%(title)s") % {"title": title}
        if d.get("reject_file"):
            return _("下载被拒行文件")
        return _("导出%(what)s") % {"what": what}
    if d.get("what") == "reassign":
        return _("移交客户经理：%(old)s → %(new)s") % {"old": users.get(d.get("from"), "—"),
                                                  "new": users.get(d.get("to"), "—")}
    if row.action == AuditAction.CHANGE and isinstance(d.get("fields"), list) and len(d) == 1:
        labels = "、".join(_field_label(model, f) for f in d["fields"]) or "—"
        return _("修改%(what)s：%(fields)s") % {"what": what, "fields": labels}
    if row.action == AuditAction.VIEW and not d:
        return _("查看%(what)s") % {"what": what} if what else action
    if row.action == AuditAction.DELETE and d.get("rollback"):
        return _("回滚%(what)s（删除 %(n)s 行）") % {"what": what, "n": d.get("removed", 0)}
    parts = []
    for key, value in d.items():
        if key == "what":
            continue
        if key in USER_KEYS and isinstance(value, int):
            value = users.get(value, value)
        parts.append(f"{KEY_LABELS.get(key, key)}：{_value(value)}")
    head = f"{action}{what}" if what else action
    if d.get("what"):
        head = f"{head}（{d['what']}）"
    return head + ("：" + "；".join(parts) if parts else "")


def describe_rows(rows) -> list:
    rows = list(rows)
    names, customers = _names(rows)
    users = _users(rows)
    for row in rows:
        model = _model(row.object_type)
        label = str(model._meta.verbose_name) if model is not None else (row.object_type or "—")
        name = names.get((row.object_type, row.object_id))
        row.object_label = f"{label} {name}" if name else (f"{label} #{row.object_id}" if row.object_id else label)
        row.customer_label = customers.get(str(row.customer_id), "") if row.customer_id else ""
        row.description = describe(row, model, users)
    return rows
