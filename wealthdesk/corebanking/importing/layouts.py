"""Column layouts of the five files (documented in docs/corebanking-formats.md) and the cell parsers.

A header cell may be the column key (``cif_no``) or its Chinese name (``客户号``). A parser returns the
value or raises ``ValueError`` with the Chinese reason; the loader adds the line and the column name.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wealthdesk.core.dates import in_range
from wealthdesk.customers.choices import Gender, IdType, RiskLevel

from ..choices import Channel, CounterpartyKind, Direction, ImportKind, ProductKind, ProductRisk

AMOUNT_RE = re.compile(r"^-?\d{1,16}(\.\d{1,2})?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    parse: Callable[[str], object]
    required: bool = True
    example: str = ""  # the example row of the downloadable template (docs and upload page show it too)

    @property
    def rule(self) -> str:
        """The column's rule in words, from its parser (shown on the upload page)."""
        return str(getattr(self.parse, "rule", ""))


def text(max_length: int, required: bool = True):
    def parse(value: str):
        value = value.strip()
        if not value and required:
            raise ValueError(_("不能为空"))
        if len(value) > max_length:
            raise ValueError(_("长度不能超过 %(n)s 个字符") % {"n": max_length})
        return value
    parse.rule = _lazy_format(gettext_lazy("文本，最长 %(n)s 个字符"), n=max_length)
    return parse


class _lazy_format:
    """A rule text translated when shown (the layouts are built at import time, before any language is active)."""

    def __init__(self, text, **values):
        self.text, self.values = text, values

    def __str__(self) -> str:
        values = {k: ("、".join(str(x) for x in v) if isinstance(v, list) else v) for k, v in self.values.items()}
        return str(self.text) % values if values else str(self.text)


def _optional(parse, value: str):
    value = value.strip()
    return None if not value else parse(value)


def parse_date(value: str) -> datetime.date:
    value = value.strip()
    if not DATE_RE.match(value):
        raise ValueError(_("日期格式应为 YYYY-MM-DD，实际为“%(v)s”") % {"v": value})
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("不是有效日期：“%(v)s”") % {"v": value}) from None
    if not in_range(day):
        raise ValueError(_("日期超出 1900-01-01 至 2100-12-31 的范围：“%(v)s”") % {"v": value})
    return day


parse_date.rule = _lazy_format(gettext_lazy("日期，格式 YYYY-MM-DD"))


def optional_date(value: str):
    return _optional(parse_date, value)


optional_date.rule = parse_date.rule


def parse_datetime(value: str) -> datetime.datetime:
    value = value.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            moment = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if not in_range(moment):  # checked before make_aware: 0001-01-01 / 9999-12-31 overflow there
            raise ValueError(_("时间超出 1900-01-01 至 2100-12-31 的范围：“%(v)s”") % {"v": value})
        return timezone.make_aware(moment)
    raise ValueError(_("时间格式应为 YYYY-MM-DD HH:MM:SS，实际为“%(v)s”") % {"v": value})


parse_datetime.rule = _lazy_format(gettext_lazy("时间，格式 YYYY-MM-DD HH:MM:SS"))


def amount(minimum: Decimal | None = Decimal("0"), strict: bool = False):
    """A yuan amount with at most two decimals; ``strict`` means it must be greater than ``minimum``."""
    def parse(value: str) -> Decimal:
        value = value.strip().replace(",", "")
        if not AMOUNT_RE.match(value):
            raise ValueError(_("金额格式不正确（应为数字，最多两位小数）：“%(v)s”") % {"v": value})
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern already excludes this
            raise ValueError(_("金额格式不正确：“%(v)s”") % {"v": value}) from None
        if minimum is not None and (number <= minimum if strict else number < minimum):
            raise ValueError(_("金额必须大于 %(m)s") % {"m": minimum} if strict
                             else _("金额不能小于 %(m)s") % {"m": minimum})
        return number
    if minimum is None:
        parse.rule = _lazy_format(gettext_lazy("金额（元），数字，最多两位小数"))
    elif strict:
        parse.rule = _lazy_format(gettext_lazy("金额（元），数字，最多两位小数，大于 %(m)s"), m=minimum)
    else:
        parse.rule = _lazy_format(gettext_lazy("金额（元），数字，最多两位小数，不小于 %(m)s"), m=minimum)
    return parse


def parse_int(value: str):
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(_("应为非负整数：“%(v)s”") % {"v": value})
    return int(value)


parse_int.rule = _lazy_format(gettext_lazy("非负整数"))


def choice(choices, required: bool = True):
    """Accept the code (``out``) or the Chinese label (``转出``)."""
    by_label = {str(label): value for value, label in choices.choices}
    values = set(choices.values)

    def parse(value: str):
        value = value.strip()
        if not value:
            if required:
                raise ValueError(_("不能为空"))
            return ""
        if value in values:
            return value
        if value in by_label:
            return by_label[value]
        allowed = "、".join(str(label) for _v, label in choices.choices)
        raise ValueError(_("取值“%(v)s”无效，可选：%(allowed)s") % {"v": value, "allowed": allowed})
    parse.rule = _lazy_format(gettext_lazy("代码或中文名称，可选：%(allowed)s"),
                              allowed=[f"{v}（{label}）" if v != str(label) else v for v, label in choices.choices])
    return parse


GENDER_ALIASES = {"男": Gender.MALE, "女": Gender.FEMALE}


def parse_gender(value: str):
    value = value.strip()
    return GENDER_ALIASES.get(value, value) if value else ""


def gender(value: str):
    return choice(Gender, required=False)(parse_gender(value))


gender.rule = _lazy_format(gettext_lazy("男 / 女（或 M / F）"))


LAYOUTS: dict[str, list[Column]] = {
    ImportKind.CUSTOMERS: [
        Column("cif_no", "客户号", text(32), example="C900000001"),
        Column("name", "姓名", text(60), example="赵磊"),
        Column("id_type", "证件类型", choice(IdType, required=False), required=False, example="居民身份证"),
        Column("id_number", "证件号码", text(32), example="11010519491231002X"),
        Column("gender", "性别", gender, required=False, example="男"),
        Column("birth_date", "出生日期", optional_date, required=False, example="1949-12-31"),
        Column("mobile", "手机号", text(11, required=False), required=False, example="13800000001"),
        Column("address", "地址", text(200, required=False), required=False, example="北京市朝阳区建国路1号"),
        Column("occupation", "职业", text(60, required=False), required=False, example="教师"),
        Column("risk_level", "风险承受能力", choice(RiskLevel, required=False), required=False, example="C3"),
        Column("center_code", "理财中心代码", text(20), example="C1"),
        Column("client_manager", "客户经理工号", text(150, required=False), required=False, example=""),
    ],
    ImportKind.PRODUCTS: [
        Column("code", "产品代码", text(32), example="WM2026001"),
        Column("name", "产品名称", text(100), example="稳盈半年定开理财"),
        Column("kind", "产品类型", choice(ProductKind), example=str(ProductKind.values[0])),
        Column("risk_level", "风险等级", choice(ProductRisk, required=False), required=False,
               example=str(ProductRisk.values[1])),
        Column("term_days", "期限天数", parse_int, required=False, example="182"),
        Column("maturity_date", "到期日", optional_date, required=False, example="2026-12-31"),
        Column("issuer", "发行机构", text(100, required=False), required=False, example="本行理财子公司"),
    ],
    ImportKind.HOLDINGS: [
        Column("cif_no", "客户号", text(32), example="C900000001"),
        Column("product_code", "产品代码", text(32), example="WM2026001"),
        Column("account_no", "账号", text(32), example="6222000000000001"),
        Column("amount", "持有金额", amount(), example="500000.00"),
        Column("start_date", "起始日", parse_date, example="2026-06-30"),
        Column("maturity_date", "到期日", optional_date, required=False, example="2026-12-31"),
    ],
    ImportKind.BALANCES: [
        Column("cif_no", "客户号", text(32), example="C900000001"),
        Column("as_of", "日期", parse_date, required=False, example="2026-06-30"),
        Column("aum", "资产余额", amount(), example="1250000.00"),
    ],
    ImportKind.TRANSACTIONS: [
        Column("external_id", "流水号", text(40), example="T202606300001"),
        Column("cif_no", "客户号", text(32), example="C900000001"),
        Column("account_no", "账号", text(32), example="6222000000000001"),
        Column("occurred_at", "交易时间", parse_datetime, example="2026-06-30 10:15:00"),
        Column("amount", "金额", amount(strict=True), example="300000.00"),
        Column("direction", "方向", choice(Direction), example=str(Direction.values[0])),
        Column("channel", "渠道", choice(Channel), example=str(Channel.values[0])),
        Column("counterparty_kind", "对手方类型", choice(CounterpartyKind), example=str(CounterpartyKind.values[0])),
        Column("product_code", "产品代码", text(32, required=False), required=False, example=""),
    ],
}


def match_header(kind: str, header: list[str]) -> tuple[dict[str, int], list[dict]]:
    """Map column keys to positions; report unknown, duplicate and missing columns (line 1)."""
    columns = LAYOUTS[kind]
    lookup = {}
    for col in columns:
        lookup[col.key.lower()] = col
        lookup[col.label] = col
    positions: dict[str, int] = {}
    errors = []
    for index, name in enumerate(header):
        col = lookup.get(name) or lookup.get(name.lower())
        if col is None:
            errors.append({"line": 1, "column": name or f"#{index + 1}",
                           "reason": _("未知列“%(name)s”：请按导入格式说明使用列名") % {"name": name}})
        elif col.key in positions:
            errors.append({"line": 1, "column": col.label, "reason": _("列重复")})
        else:
            positions[col.key] = index
    for col in columns:
        if col.required and col.key not in positions:
            errors.append({"line": 1, "column": col.label, "reason": _("缺少必填列")})
    return positions, errors
