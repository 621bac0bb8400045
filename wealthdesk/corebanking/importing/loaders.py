"""Validate and load the rows of one file into the tables, reporting every bad row (line, column, reason).

Each ``load_<kind>`` receives a ``LoadRun`` and a ``Table``; it fills ``run.errors`` / ``run.rejects`` and
inserts the good rows. The caller (``services.import_run``) decides to keep or roll back the savepoint.
Balances stream through a temporary staging table and are checked set-based in SQL (unknown customers by
join, duplicates by window), then ``INSERT … SELECT … ON CONFLICT DO NOTHING`` — the same code on
PostgreSQL (COPY) and SQLite (executemany).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.bulk import copy_rows
from wealthdesk.core.dates import in_range
from wealthdesk.core.exports import csv_rows_text
from wealthdesk.core.masking import mask_account, mask_address, mask_id_number, mask_identifiers_in_text, mask_mobile
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from ..choices import ImportKind, ProductKind
from ..models import Holding, Product, Transaction
from ..partitions import ensure_partitions
from .balances_pg import stage_balances_fast
from .layouts import AMOUNT_RE, DATE_RE, LAYOUTS, Column
from .readers import Table

MAX_ERRORS = 2000


@dataclass
class LoadRun:
    """The state of one load: who, which batch, the options, and what happened row by row."""

    actor: object
    batch: object
    kind: str
    skip_bad_rows: bool
    as_of: datetime.date | None
    header: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    rejects: list[tuple[int, list[str], str]] = field(default_factory=list)
    total: int = 0
    loaded: int = 0
    skipped: int = 0
    loaded_keys: list = field(default_factory=list)
    dates: set = field(default_factory=set)
    customer_ids: set = field(default_factory=set)
    data: bytes | None = field(default=None, repr=False)  # the raw file, for the PostgreSQL fast path

    def error(self, line: int | None, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"line": line, "column": column, "reason": str(reason)})

    def reject(self, line: int, raw: list[str], reasons: list[str]) -> None:
        self.rejects.append((line, raw, "；".join(str(r) for r in reasons)))

    @property
    def rows_rejected(self) -> int:
        return len({line for line, _raw, _r in self.rejects})

    def reject_csv(self) -> str:
        """The rejected rows, kept with the batch: personal identifiers masked (R28; the clear values stay in
        the bank's own file) and every cell escaped by core.exports like any other CSV the system writes."""
        if not self.rejects:
            return ""
        maskers = reject_maskers(self.kind, self.header)

        def masked(raw: list[str]) -> list[str]:
            return [mask_identifiers_in_text(maskers[i](v) if i < len(maskers) and maskers[i] else v)
                    for i, v in enumerate(raw)]

        rows = ([line, *masked(raw), mask_identifiers_in_text(reason)]
                for line, raw, reason in sorted(self.rejects, key=lambda r: r[0]))
        return csv_rows_text(["行号", *self.header, "错误原因"], rows)


_SENSITIVE = {"id_number": mask_id_number, "mobile": mask_mobile, "address": mask_address,
              "account_no": mask_account}


def reject_maskers(kind: str, header: list[str]) -> list:
    """For each column of the file, the masker of the personal field it holds (or None)."""
    by_name = {}
    for col in LAYOUTS.get(kind, []):
        if col.key in _SENSITIVE:
            by_name[col.key] = by_name[col.label] = _SENSITIVE[col.key]
    return [by_name.get(str(h).strip()) for h in header]


def parse_rows(run: LoadRun, table: Table, positions: dict[str, int]):
    """Yield (line, raw cells, values) for good rows; record every bad cell of the others."""
    columns: list[Column] = [c for c in LAYOUTS[run.kind] if c.key in positions]
    for line, raw in table.rows:
        run.total += 1
        values, reasons = {}, []
        for col in columns:
            index = positions[col.key]
            cell = raw[index] if index < len(raw) else ""
            try:
                values[col.key] = col.parse(cell)
            except ValueError as exc:
                run.error(line, col.label, str(exc))
                reasons.append(f"{col.label}：{exc}")
        if reasons:
            run.reject(line, raw, reasons)
            continue
        yield line, raw, values


def bad_row(run: LoadRun, line: int, raw: list[str], column: str, reason: str) -> None:
    run.error(line, column, reason)
    run.reject(line, raw, [f"{column}：{reason}"])


def first_seen(run: LoadRun, rows, key, column: str):
    """Keep the first row of each natural key; later rows with the same key are reported as duplicates."""
    seen: dict = {}
    kept = []
    for line, raw, values in rows:
        k = key(values)
        if k in seen:
            bad_row(run, line, raw, column, _("与第 %(first)s 行重复") % {"first": seen[k]})
            continue
        seen[k] = line
        kept.append((line, raw, values))
    return kept


def customers_by_cif(actor, cif_nos) -> dict[str, int]:
    found: dict[str, int] = {}
    cif_nos = list(cif_nos)
    for i in range(0, len(cif_nos), 5000):
        chunk = cif_nos[i:i + 5000]
        found.update(Customer.objects.visible_to(actor).filter(cif_no__in=chunk).values_list("cif_no", "id"))
    return found


def products_by_code(codes) -> dict[str, Product]:
    return {p.code: p for p in Product.objects.filter(code__in=list(codes))}


# ---------------------------------------------------------------------------------------------------------------
# customers (R29)

CUSTOMER_FIELD_COLUMNS = {"center": "理财中心代码", "client_manager": "客户经理工号"}


def _column_label(kind: str, field_name: str) -> str:
    for col in LAYOUTS[kind]:
        if col.key == field_name:
            return col.label
    return CUSTOMER_FIELD_COLUMNS.get(field_name, field_name)


def load_customers(run: LoadRun, table: Table, positions: dict[str, int]) -> None:
    rows = first_seen(run, parse_rows(run, table, positions), lambda v: v["cif_no"], "客户号")
    centers = {u.code: u for u in OrgUnit.objects.visible_to(run.actor).centers()
               if u.path.startswith(run.actor.unit.path)}
    existing = set(Customer.objects.filter(cif_no__in=[v["cif_no"] for _l, _r, v in rows])
                   .values_list("cif_no", flat=True))
    managers = {(u.username, u.unit_id): u for u in User.objects.filter(
        username__in={v.get("client_manager") for _l, _r, v in rows if v.get("client_manager")})}
    new = []
    for line, raw, values in rows:
        if values["cif_no"] in existing:
            run.skipped += 1
            continue
        center = centers.get(values.pop("center_code"))
        if center is None:
            bad_row(run, line, raw, "理财中心代码", _("理财中心代码不存在或不在您的机构范围内"))
            continue
        username = values.pop("client_manager", "") or ""
        manager = managers.get((username, center.id)) if username else None
        if username and manager is None:
            bad_row(run, line, raw, "客户经理工号", _("客户经理“%(u)s”不存在或不属于该理财中心") % {"u": username})
            continue
        values = {k: v for k, v in values.items() if v is not None}
        customer = Customer(center=center, client_manager=manager, created_by=run.actor, **values)
        try:
            customer.full_clean()
        except ValidationError as exc:
            reasons = []
            for name, messages in exc.message_dict.items():
                label = _column_label(ImportKind.CUSTOMERS, name)
                for message in messages:
                    run.error(line, label, message)
                    reasons.append(f"{label}：{message}")
            run.reject(line, raw, reasons)
            continue
        new.append(customer)
    if run.error_count and not run.skip_bad_rows:
        return
    Customer.objects.bulk_create(new, batch_size=1000)
    run.loaded = len(new)
    run.loaded_keys = [c.pk for c in new]


# ---------------------------------------------------------------------------------------------------------------
# products


def load_products(run: LoadRun, table: Table, positions: dict[str, int]) -> None:
    rows = first_seen(run, parse_rows(run, table, positions), lambda v: v["code"], "产品代码")
    existing = set(Product.objects.filter(code__in=[v["code"] for _l, _r, v in rows])
                   .values_list("code", flat=True))
    new = []
    for line, raw, values in rows:
        if values["code"] in existing:
            run.skipped += 1
            continue
        if values["kind"] == ProductKind.WMP and not values.get("risk_level"):
            bad_row(run, line, raw, "风险等级", _("理财产品必须填写风险等级（R1–R5）"))
            continue
        values = {k: v for k, v in values.items() if v is not None}
        new.append(Product(batch=run.batch, created_by=run.actor, **values))
    if run.error_count and not run.skip_bad_rows:
        return
    Product.objects.bulk_create(new, batch_size=1000)
    run.loaded = len(new)


# ---------------------------------------------------------------------------------------------------------------
# holdings


def load_holdings(run: LoadRun, table: Table, positions: dict[str, int]) -> None:
    rows = first_seen(run, parse_rows(run, table, positions), lambda v: (v["account_no"], v["product_code"]),
                      "账号")
    customers = customers_by_cif(run.actor, {v["cif_no"] for _l, _r, v in rows})
    products = products_by_code({v["product_code"] for _l, _r, v in rows})
    existing = set(Holding.objects.filter(account_no__in=[v["account_no"] for _l, _r, v in rows])
                   .values_list("account_no", "product__code"))
    new = []
    for line, raw, values in rows:
        customer_id = customers.get(values["cif_no"])
        product = products.get(values["product_code"])
        if customer_id is None:
            bad_row(run, line, raw, "客户号", _("客户号“%(v)s”不存在或不在您的管辖范围内") % {"v": values["cif_no"]})
            continue
        if product is None:
            bad_row(run, line, raw, "产品代码", _("产品代码“%(v)s”不存在") % {"v": values["product_code"]})
            continue
        maturity = values.get("maturity_date") or product.maturity_date
        if maturity and maturity < values["start_date"]:
            bad_row(run, line, raw, "到期日", _("到期日不能早于起始日"))
            continue
        if (values["account_no"], product.code) in existing:
            run.skipped += 1
            continue
        new.append(Holding(customer_id=customer_id, product=product, account_no=values["account_no"],
                           amount=values["amount"], start_date=values["start_date"], maturity_date=maturity,
                           batch=run.batch, created_by=run.actor))
    if run.error_count and not run.skip_bad_rows:
        return
    Holding.objects.bulk_create(new, batch_size=2000)
    run.loaded = len(new)


# ---------------------------------------------------------------------------------------------------------------
# transactions


def load_transactions(run: LoadRun, table: Table, positions: dict[str, int]) -> None:
    rows = first_seen(run, parse_rows(run, table, positions), lambda v: v["external_id"], "流水号")
    customers = customers_by_cif(run.actor, {v["cif_no"] for _l, _r, v in rows})
    products = products_by_code({v["product_code"] for _l, _r, v in rows if v.get("product_code")})
    existing: set[str] = set()
    ids = [v["external_id"] for _l, _r, v in rows]
    for i in range(0, len(ids), 5000):
        existing.update(Transaction.objects.filter(external_id__in=ids[i:i + 5000])
                        .values_list("external_id", flat=True))
    new = []
    for line, raw, values in rows:
        customer_id = customers.get(values["cif_no"])
        if customer_id is None:
            bad_row(run, line, raw, "客户号", _("客户号“%(v)s”不存在或不在您的管辖范围内") % {"v": values["cif_no"]})
            continue
        code = values.get("product_code")
        if code and code not in products:
            bad_row(run, line, raw, "产品代码", _("产品代码“%(v)s”不存在") % {"v": code})
            continue
        if values["external_id"] in existing:
            run.skipped += 1
            continue
        new.append(Transaction(external_id=values["external_id"], customer_id=customer_id,
                               account_no=values["account_no"], occurred_at=values["occurred_at"],
                               amount=values["amount"], direction=values["direction"], channel=values["channel"],
                               counterparty_kind=values["counterparty_kind"],
                               product=products.get(code) if code else None, batch=run.batch))
        run.dates.add(timezone.localdate(values["occurred_at"]))
    if run.error_count and not run.skip_bad_rows:
        return
    Transaction.objects.bulk_create(new, batch_size=2000)
    run.loaded = len(new)


# ---------------------------------------------------------------------------------------------------------------
# balances: streaming into a staging table, checked set-based

STAGE = "cb_stage_balance"


def _stage_rows(run: LoadRun, table: Table, positions: dict[str, int]):
    """Fast path: pattern checks per cell; the generic parsers run only on a bad cell to word the reason."""
    cif_i, aum_i = positions["cif_no"], positions["aum"]
    as_of_i = positions.get("as_of")
    fixed = run.as_of.isoformat() if run.as_of else None
    valid_dates: dict[str, bool] = {}
    columns = {c.key: c for c in LAYOUTS[ImportKind.BALANCES]}
    amount_match, date_match = AMOUNT_RE.match, DATE_RE.match
    for line, raw in table.rows:
        run.total += 1
        try:
            cif, aum = raw[cif_i].strip(), raw[aum_i].strip()
            day = raw[as_of_i].strip() if as_of_i is not None else fixed
        except IndexError:
            cif = aum = day = ""
        ok = (0 < len(cif) <= 32 and cif.isprintable() and "\\" not in cif and aum and aum[0] != "-"
              and amount_match(aum) is not None)
        if ok and day is not None:
            known = valid_dates.get(day)
            if known is None:
                known = valid_dates[day] = bool(date_match(day)) and _valid_iso(day)
            ok = known and (fixed is None or day == fixed)
        if ok and day is not None:
            yield line, cif, day, aum
            continue
        reasons, parsed = [], {}
        for key, value in (("cif_no", cif), ("as_of", day), ("aum", aum)):
            col = columns[key]
            if key == "as_of" and value is None:
                run.error(line, col.label, _("文件无日期列时必须指定数据日期（--as-of）"))
                reasons.append(f"{col.label}：{_('缺少数据日期')}")
                continue
            try:
                parsed[key] = col.parse(value or "")
            except ValueError as exc:
                run.error(line, col.label, str(exc))
                reasons.append(f"{col.label}：{exc}")
                continue
            if key == "cif_no" and not (value.isprintable() and "\\" not in value):
                reason = _("客户号含非法字符")
                run.error(line, col.label, reason)
                reasons.append(f"{col.label}：{reason}")
            if key == "as_of" and fixed and value != fixed:
                reason = _("日期 %(d)s 与指定的数据日期 %(f)s 不一致") % {"d": value, "f": fixed}
                run.error(line, col.label, reason)
                reasons.append(f"{col.label}：{reason}")
        if not reasons:  # e.g. "1,000.00": valid once normalized
            yield line, parsed["cif_no"], parsed["as_of"].isoformat(), str(parsed["aum"])
            continue
        run.reject(line, raw, reasons)


def _copy_stage(rows) -> int:
    """COPY the checked rows into the staging table: pre-formatted text blocks on PostgreSQL (no per-value
    adaptation), ``core.bulk.copy_rows`` elsewhere."""
    if connection.vendor != "postgresql":
        return copy_rows(STAGE, ["line", "cif_no", "as_of", "aum"], rows)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {STAGE} (line, cif_no, as_of, aum) FROM STDIN") as copy:
            block = []
            for line, cif, day, aum in rows:
                block.append(f"{line}\t{cif}\t{day}\t{aum}\n")
                if len(block) >= 20000:
                    copy.write("".join(block))
                    count += len(block)
                    block = []
            if block:
                copy.write("".join(block))
                count += len(block)
    return count


def _valid_iso(day: str) -> bool:
    try:
        return in_range(datetime.date.fromisoformat(day))  # 1900–2100 (core.dates)
    except ValueError:
        return False


def load_balances(run: LoadRun, table: Table, positions: dict[str, int]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    if not stage_balances_fast(run, table, positions, STAGE):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} (line integer NOT NULL, cif_no varchar(32) NOT NULL, "
                           f"as_of date NOT NULL, aum numeric(18, 2) NOT NULL)")
        _copy_stage(_stage_rows(run, table, positions))
    try:
        scope_sql, scope_params = (Customer.objects.visible_to(run.actor).values("id", "cif_no")
                                   .order_by().query.sql_with_params())
        unknown_sql = (f"SELECT s.line, s.cif_no, s.as_of, s.aum FROM {STAGE} s LEFT JOIN ({scope_sql}) c "
                       f"ON c.cif_no = s.cif_no WHERE c.id IS NULL")
        dup_sql = (f"SELECT line, cif_no, as_of, aum FROM (SELECT line, cif_no, as_of, aum, row_number() OVER "
                   f"(PARTITION BY cif_no, as_of ORDER BY line) AS rn FROM {STAGE}) d WHERE rn > 1")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(f"ANALYZE {STAGE}")
            cursor.execute(unknown_sql + " ORDER BY s.line", scope_params)
            bad_lines = []
            for line, cif, day, aum in cursor.fetchall():
                reason = _("客户号“%(v)s”不存在或不在您的管辖范围内") % {"v": cif}
                _staged_reject(run, positions, line, cif, day, aum, "客户号", reason)
                bad_lines.append(line)
            cursor.execute(f"SELECT 1 FROM {STAGE} GROUP BY cif_no, as_of HAVING COUNT(*) > 1 LIMIT 1")
            has_dups = cursor.fetchone() is not None
            cursor.execute(dup_sql + " ORDER BY line") if has_dups else None
            for line, cif, day, aum in (cursor.fetchall() if has_dups else []):
                reason = _("同一客户同一日期的余额重复")
                _staged_reject(run, positions, line, cif, day, aum, "客户号", reason)
                bad_lines.append(line)
            if run.error_count and not run.skip_bad_rows:
                return
            if bad_lines:
                cursor.execute(f"DELETE FROM {STAGE} WHERE line IN (SELECT line FROM ({unknown_sql}) u "
                               f"UNION SELECT line FROM ({dup_sql}) d)", scope_params)
            cursor.execute(f"SELECT MIN(as_of), MAX(as_of) FROM {STAGE}")
            first, last = cursor.fetchone()
            if first is None:
                return
            if isinstance(first, str):
                first, last = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
            ensure_partitions(first, last)
            if connection.vendor == "postgresql":
                run.loaded = _copy_new_balances(cursor, run.batch.pk)
            else:
                cursor.execute(
                    f"INSERT INTO {qn('corebanking_dailybalance')} (customer_id, as_of, aum, batch_id) "
                    f"SELECT c.id, s.as_of, s.aum, %s FROM {STAGE} s JOIN {qn('customers_customer')} c "
                    f"ON c.cif_no = s.cif_no WHERE 1 = 1 ON CONFLICT (customer_id, as_of) DO NOTHING",
                    [run.batch.pk],
                )
                run.loaded = cursor.rowcount
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE}")
            run.skipped = cursor.fetchone()[0] - run.loaded
            run.dates.update(_dates_between(first, last))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")


BALANCE_LOCK = 0x434F5245  # pg_advisory_xact_lock key: balance loads run one at a time


def _copy_new_balances(cursor, batch_id: int) -> int:
    """PostgreSQL: insert the rows whose (customer, day) is not stored yet, server-side in one statement.
    Balance loads are serialized by an advisory lock, so the NOT EXISTS check cannot race with another load;
    when no balance of the file's days is stored yet (the everyday case: a new day), the anti-join is skipped."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BALANCE_LOCK])
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM corebanking_dailybalance b WHERE b.as_of IN "
                   f"(SELECT DISTINCT as_of FROM {STAGE}))")
    existing = cursor.fetchone()[0]
    anti_join = ("WHERE NOT EXISTS (SELECT 1 FROM corebanking_dailybalance b "
                 "WHERE b.customer_id = c.id AND b.as_of = s.as_of)") if existing else ""
    cursor.execute(f"INSERT INTO corebanking_dailybalance (customer_id, as_of, aum, batch_id) "
                   f"SELECT c.id, s.as_of, s.aum, %s FROM {STAGE} s JOIN customers_customer c "
                   f"ON c.cif_no = s.cif_no {anti_join}", [batch_id])
    return cursor.rowcount


def _dates_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first, last] if first != last else [first]


def _staged_reject(run, positions, line, cif, day, aum, column, reason) -> None:
    raw = [""] * len(run.header)
    for key, value in (("cif_no", cif), ("as_of", day), ("aum", aum)):
        if key in positions:
            raw[positions[key]] = str(value)
    bad_row(run, line, raw, column, reason)


LOADERS = {
    ImportKind.CUSTOMERS: load_customers,
    ImportKind.PRODUCTS: load_products,
    ImportKind.HOLDINGS: load_holdings,
    ImportKind.BALANCES: load_balances,
    ImportKind.TRANSACTIONS: load_transactions,
}
