"""What every analysis starts from (R36): the unit, the half-year, the user's scope and a few SQL expressions.

Every analysis reads through ``visible_to(user)`` (DESIGN rule 1) narrowed to the unit's subtree, groups in SQL
(one GROUP BY per table) and returns a plain ``Result`` that the page, the API and the export all render.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, CharField, F, FilteredRelation, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wealthdesk.core.params import get_param
from wealthdesk.corebanking.models import DailyBalance, Holding, Transaction
from wealthdesk.customers.choices import CustomerStatus, RiskLevel, Tier
from wealthdesk.customers.models import Customer, TierHistory

from ..periods import HalfYear

TABLE_LIMIT = 100  # rows of a ranked table shown on the page and in the API (the export has them all)
UNKNOWN = "unknown"
TIER_ORDER = [Tier.PRIVATE, Tier.CORE, Tier.PREMIUM, Tier.ORDINARY]


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    links: list[int | None] = field(default_factory=list)  # customer id per row (a link to the customer page)
    note: str = ""
    page: int = 0  # a paged table (the mismatch list): this page of ``pages``
    pages: int = 0
    link_column: int = 0  # the column that links to the customer (when ``links`` are given)
    share_columns: tuple[int, ...] = ()  # columns holding shares (0–1) whose header does not say so

    def formats(self) -> list[str]:
        """How each column reads: 'money' (yuan), 'share' (percent), 'num' or 'text'."""
        out = []
        for i, header in enumerate(self.headers):
            h = str(header)
            if i in self.share_columns or any(w in h for w in ("占比", "渗透率", "占答题")):
                out.append("share")
            elif "元" in h:
                out.append("money")
            else:
                out.append("num" if i else "text")
        return out

    def display_rows(self) -> list[list[tuple[str, str, int | None]]]:
        """Rows as (text, format) cells for the page; the first cell carries the customer link when there is one."""
        from wealthdesk.core.templatetags.wd import percent, yuan

        fmts = self.formats()
        out = []
        for r, row in enumerate(self.rows):
            cells = []
            for i, value in enumerate(row):
                fmt = fmts[i] if i < len(fmts) else "num"
                if isinstance(value, int | float) and not isinstance(value, bool):
                    text = percent(value) if fmt == "share" else yuan(value) if fmt == "money" else f"{value:,}"
                else:
                    text, fmt = str(value), "text"
                cells.append((text, fmt))
            out.append((self.links[r] if r < len(self.links) else None, cells))
        return out

    def as_dict(self) -> dict:
        return {"key": self.key, "title": str(self.title), "headers": [str(h) for h in self.headers],
                "rows": self.rows, "customer_ids": self.links, "note": str(self.note)}

    def to_store(self) -> dict:
        return {**self.as_dict(), "rows": [[_jsonable(v) for v in row] for row in self.rows],
                "page": self.page, "pages": self.pages, "link_column": self.link_column,
                "share_columns": list(self.share_columns)}

    @classmethod
    def from_store(cls, data: dict) -> Table:
        return cls(data["key"], data["title"], data["headers"], rows=data["rows"], links=data["customer_ids"],
                   note=data["note"], page=data["page"], pages=data["pages"], link_column=data["link_column"],
                   share_columns=tuple(data["share_columns"]))


@dataclass
class Result:
    kind: str
    empty: str = ""  # why there is nothing to show (the empty state), or ""
    figures: list[tuple[str, str, object]] = field(default_factory=list)  # (key, label, value) headline figures
    tables: list[Table] = field(default_factory=list)
    charts: dict[str, dict] = field(default_factory=dict)
    as_of: dt.date | None = None

    def figure(self, key: str):
        return next((v for k, _label, v in self.figures if k == key), None)

    def display_figures(self) -> list[tuple[str, str, str]]:
        from wealthdesk.core.templatetags.wd import percent, yuan

        out = []
        for key, label, value in self.figures:
            if isinstance(value, str):
                text = value
            elif key.startswith("top_") or "share" in key:
                text = percent(value)
            elif "aum" in key or "amount" in key:
                text = yuan(value)
            elif isinstance(value, float):
                text = f"{value:,.2f}" if key != "hhi" else f"{value:.4f}"
            else:
                text = f"{value:,}"
            out.append((key, str(label), text))
        return out

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def as_dict(self) -> dict:
        return {"empty": self.empty, "as_of": f"{self.as_of:%Y-%m-%d}" if self.as_of else None,
                "figures": [{"key": k, "label": str(label), "value": _jsonable(v)} for k, label, v in self.figures],
                "tables": [t.as_dict() for t in self.tables], "charts": self.charts}

    def to_store(self) -> dict:
        """The whole result as JSON (labels already in the words of the language it was computed in), for the
        stored snapshot; ``from_store`` gives back an equal ``Result``."""
        import json

        from django.core.serializers.json import DjangoJSONEncoder

        data = {"kind": self.kind, "empty": str(self.empty), "as_of": f"{self.as_of:%Y-%m-%d}" if self.as_of else None,
                "figures": [[k, str(label), _jsonable(v)] for k, label, v in self.figures],
                "tables": [t.to_store() for t in self.tables], "charts": self.charts}
        return json.loads(json.dumps(data, cls=DjangoJSONEncoder))  # lazy labels in charts become plain text

    @classmethod
    def from_store(cls, data: dict) -> Result:
        return cls(kind=data["kind"], empty=data["empty"],
                   figures=[(k, label, v) for k, label, v in data["figures"]],
                   tables=[Table.from_store(t) for t in data["tables"]], charts=data["charts"],
                   as_of=dt.date.fromisoformat(data["as_of"]) if data["as_of"] else None)


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


@dataclass
class Context:
    user: object
    unit: object
    period: HalfYear
    today: dt.date

    @property
    def as_of(self) -> dt.date:
        return self.period.as_of(self.today)

    def in_unit(self, qs, prefix: str = "customer__"):
        """A customer-data queryset narrowed to the user's scope and the unit's subtree, closed customers out."""
        return qs.visible_to(self.user).filter(**{f"{prefix}center__path__startswith": self.unit.path}).exclude(
            **{f"{prefix}status": CustomerStatus.CLOSED})

    def customers(self):
        return self.in_unit(Customer.objects, prefix="")

    def holdings(self):
        """Positions held on the as-of day: begun by then and not matured before it."""
        day = self.as_of
        return self.in_unit(Holding.objects).filter(start_date__lte=day, amount__gt=0).filter(
            Q(maturity_date__isnull=True) | Q(maturity_date__gte=day))

    def transactions(self):
        tz_start, tz_end = _bounds(self.period)
        return self.in_unit(Transaction.objects).filter(occurred_at__gte=tz_start, occurred_at__lt=tz_end)

    def balance_day(self) -> dt.date | None:
        """The last day of the half-year (up to today) for which daily balances were loaded."""
        return DailyBalance.objects.filter(as_of__gte=self.period.start, as_of__lte=self.as_of).aggregate(
            d=Max("as_of"))["d"]

    def tier_at(self, day: dt.date, ref: str = "pk", current: str = "tier"):
        return tier_at(day, today=self.today, ref=ref, current=current)

    def with_tier(self, qs, name: str, day: dt.date, prefix: str = ""):
        """``qs`` annotated with ``name`` = the customer's tier at the end of ``day``. When that day's tiers were
        taken (``tiers.tier_day_take``) they are joined once (LEFT JOIN on (day, customer)); a customer without
        a row there falls back to the per-row history lookup; from today on the current tier is the answer."""
        ref = f"{prefix[:-2]}_id" if prefix else "pk"
        current = f"{prefix}tier"
        if day >= self.today or day not in self.taken_days:
            return qs.annotate(**{name: self.tier_at(day, ref=ref, current=current)})
        rel, alias = f"{prefix}analysis_tiers", f"{name}_day"
        return qs.alias(**{alias: FilteredRelation(rel, condition=Q(**{f"{rel}__day": day}))}).annotate(**{
            name: Coalesce(F(f"{alias}__tier"), self.tier_at(day, ref=ref, current=current),
                           output_field=CharField())})

    @cached_property
    def taken_days(self) -> set[dt.date]:
        """The past days of this half-year whose tiers are kept set-based (one query)."""
        from ..tiers import taken_days

        days = {d for d in (self.period.before_start, self.period.end, self.as_of) if d < self.today}
        return taken_days(days) if days else set()


def _bounds(period: HalfYear):
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def tier_at(day: dt.date, *, today: dt.date, ref: str = "pk", current: str = "tier"):
    """A customer's tier at the end of ``day`` (R2 tier history): the tier the first change after that day started
    from ('' = not yet graded, counted as ordinary), else — no change since — the current tier. The history is a
    chain (each row starts from the tier the previous one ended at), so this one lookup per customer, on the
    history's customer index, is the same as reading the last change up to the day. From today on the current
    tier is the answer (no history row lies in the future)."""
    if day >= today:
        return F(current)
    later = TierHistory.objects.filter(customer_id=OuterRef(ref), changed_on__gt=day).order_by(
        "changed_on", "id").values("from_tier")[:1]
    return Coalesce(Subquery(later), F(current), output_field=CharField())


def tier_key(value: str | None) -> str:
    return value or Tier.ORDINARY


def tier_labels() -> list[tuple[str, str]]:
    return [(t.value, str(t.label)) for t in TIER_ORDER]


def risk_labels() -> list[tuple[str, str]]:
    return [(r.value, str(r.label)) for r in RiskLevel] + [("", _("未评估"))]


def thresholds(key: str) -> list[int]:
    """A configurable list of band edges (``analyses.*`` parameters), ascending."""
    raw = get_param(key)
    values = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return sorted(int(float(v)) for v in values if str(v).strip())


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band_expr(day: dt.date, edges: list[int], field_name: str = "birth_date"):
    """Age on ``day`` as a band key ('<30', '30-39', …, '≥60', 'unknown'), computed in SQL from the birth date."""
    labels = age_band_labels(edges)
    whens = [When(**{f"{field_name}__isnull": True}, then=Value(UNKNOWN))]
    for edge, (key, _label) in zip(reversed(edges), reversed(labels[1:-1]), strict=True):
        whens.append(When(**{f"{field_name}__lte": years_before(day, edge)}, then=Value(key)))
    return Case(*whens, default=Value(labels[0][0]), output_field=CharField())


def age_band_labels(edges: list[int]) -> list[tuple[str, str]]:
    """[(key, label)]: under the first edge, each band between edges, the last edge and above, then unknown."""
    out = [(f"<{edges[0]}", _("%(n)s岁以下") % {"n": edges[0]})]
    for low, high in zip(edges, edges[1:], strict=False):
        out.append((f"{low}-{high - 1}", _("%(a)s–%(b)s岁") % {"a": low, "b": high - 1}))
    out.append((f">={edges[-1]}", _("%(n)s岁及以上") % {"n": edges[-1]}))
    out.append((UNKNOWN, _("未知")))
    return out


def share(part, whole) -> float:
    return round(float(part) / float(whole), 4) if whole else 0.0


def money(value) -> float:
    return round(float(value or 0), 2)


GRID = {"containLabel": True, "left": 10, "right": 10, "top": 40, "bottom": 10}


def bar_chart(table: Table, column: int, *, title: str = "") -> dict:
    """An ECharts bar chart of one column of a table (the first column names the categories)."""
    return {"tooltip": {}, "grid": GRID, "title": {"text": str(title or table.headers[column]),
                                                  "textStyle": {"fontSize": 13}},
            "xAxis": {"type": "category", "data": [str(r[0]) for r in table.rows], "axisLabel": {"interval": 0}},
            "yAxis": {"type": "value"},
            "series": [{"type": "bar", "data": [r[column] for r in table.rows], "itemStyle": {"color": "#c7000b"}}]}


def series_chart(title: str, categories: list[str], series: dict[str, list], *, kind: str = "bar",
                 stack: bool = True) -> dict:
    """An ECharts chart with one series per key (stacked bars or lines), categories on the x axis."""
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 20, "type": "scroll"},
            "grid": {**GRID, "top": 60}, "title": {"text": str(title), "textStyle": {"fontSize": 13}},
            "xAxis": {"type": "category", "data": [str(c) for c in categories]}, "yAxis": {"type": "value"},
            "series": [{"name": str(name), "type": kind, "data": data, **({"stack": "all"} if stack else {})}
                       for name, data in series.items()]}


def pie_chart(title: str, items: list[tuple[str, float]]) -> dict:
    return {"tooltip": {"trigger": "item"}, "title": {"text": str(title), "textStyle": {"fontSize": 13}},
            "legend": {"bottom": 0, "type": "scroll"},
            "series": [{"type": "pie", "radius": ["35%", "65%"], "data": [{"name": str(n), "value": v}
                                                                         for n, v in items]}]}
