"""Writes of the core-banking data (R2, R7, R8, R29): file imports, rollback, AUM refresh and tier recomputation.

Every write is keyword-only, atomic and audited (DESIGN rule 2, 3). A load validates the whole file first; a
file with errors loads nothing (a ``rejected`` batch records the errors) unless ``skip_bad_rows``, then the
rejected rows go to the batch's reject file. The same file twice loads once (content hash; natural keys).
"""
from __future__ import annotations

import datetime
import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, F, Max, Value, When
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record, audited_delete, audited_update
from wealthdesk.core.concurrency import lock
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.summaries import rebuild as summaries_rebuild
from wealthdesk.customers.choices import Tier, TierChangeSource
from wealthdesk.customers.models import Customer, TierHistory
from wealthdesk.customers.services import tier_thresholds
from wealthdesk.customers.summaries import tier_changes_added

from .choices import BatchStatus, FollowupStatus, ImportKind
from .importing.layouts import match_header
from .importing.loaders import LOADERS, LoadRun
from .importing.readers import FileProblem, read_table
from .models import DailyBalance, Holding, ImportBatch, Product, Transaction

log = logging.getLogger(__name__)

CUSTOMER_LOADERS = frozenset({Role.ARCHIVE_KEEPER, Role.CENTER_HEAD})  # R29
logger = logging.getLogger(__name__)
DATA_LOADERS = frozenset({Role.HQ_SERVICE})  # head-office import staff (R8)
BATCH_VIEWERS = CUSTOMER_LOADERS | DATA_LOADERS


def can_load(user, kind: str) -> bool:
    scope = scope_for(user)
    return scope.has(*CUSTOMER_LOADERS) if kind == ImportKind.CUSTOMERS else scope.has(*DATA_LOADERS)


def loadable_kinds(user) -> list[str]:
    return [k for k in ImportKind.values if can_load(user, k)]


class _Rejected(Exception):
    """Raised inside the savepoint so that nothing of a rejected file stays in the database."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_run(*, actor, kind: str, data: bytes, file_name: str, as_of: datetime.date | None = None,
               skip_bad_rows: bool = False, source: str = "web") -> tuple[ImportBatch, bool]:
    """Load one file as one batch (R8). Returns (batch, created); ``created`` is False for a repeated file.

    The load is one transaction: all of the batch or nothing. What follows a load — the AUM refresh and tier
    recomputation (R2), downgrade alerts (R7) and the large-movement scan (R6) — is derived data and runs in its
    own transaction once the batch is committed, so a million-row load is not held open by it; each step is
    idempotent and can be re-run (``scan_alerts``; a later load recomputes).

    Raises ``PermissionDenied`` for a role that may not load this kind and ``ValidationError`` for a kind
    that does not exist. File and row problems never raise: they end in a ``rejected`` batch with the errors.
    """
    batch, created, run = _load_batch(actor=actor, kind=kind, data=data, file_name=file_name, as_of=as_of,
                                      skip_bad_rows=skip_bad_rows, source=source)
    if created and batch.status == BatchStatus.LOADED and run.loaded:
        _run_followup(actor=actor, batch=batch, days=sorted(run.dates))
    return batch, created


def _followup_days(batch: ImportBatch) -> list[datetime.date]:
    if batch.kind != ImportKind.TRANSACTIONS:
        return []
    return sorted({timezone.localtime(t).date() for t in
                   Transaction.objects.filter(batch=batch).values_list("occurred_at", flat=True).distinct()})


def _run_followup(*, actor, batch: ImportBatch, days: list[datetime.date]) -> bool:
    """The derived work of a committed batch, in its own transaction. A failure does not undo the load: the batch
    records it (``followup_status = failed`` with the reason) and ``batch_followup_rerun`` runs it again."""
    try:
        with transaction.atomic():
            if batch.kind == ImportKind.BALANCES:
                after_balance_load(actor=actor, customer_batch=batch)
            elif batch.kind == ImportKind.TRANSACTIONS:
                for day in days:
                    _alerts_scan(day, actor)
    except Exception as exc:  # derived work only: the batch stays loaded and says what failed
        logger.exception("follow-up of import batch %s failed", batch.pk)
        status, error = FollowupStatus.FAILED, f"{exc.__class__.__name__}: {exc}"[:500]
    else:
        status, error = FollowupStatus.DONE, ""
    ImportBatch.objects.filter(pk=batch.pk).update(followup_status=status, followup_error=error,
                                                   followup_at=timezone.now())
    batch.followup_status, batch.followup_error = status, error
    return status == FollowupStatus.DONE


def batch_followup_rerun(*, actor, batch: ImportBatch) -> ImportBatch:
    """Run a loaded batch's derived work again (after a failure, or to refresh); each step is idempotent."""
    with transaction.atomic():
        batch = lock(ImportBatch.objects.get(pk=batch.pk))
        if not can_load(actor, batch.kind):
            raise PermissionDenied(_("您的岗位无权处理该类数据。"))
        if batch.status != BatchStatus.LOADED:
            raise ValidationError({"batch": [_("只有已导入的批次可以重新执行后续处理。")]})
        audit_record(actor=actor, action=AuditAction.CHANGE, obj=batch, detail={"followup_rerun": True})
    _run_followup(actor=actor, batch=batch, days=_followup_days(batch))
    batch.refresh_from_db()
    return batch


@transaction.atomic
def _load_batch(*, actor, kind, data, file_name, as_of, skip_bad_rows, source):
    """The load itself, in one transaction: (batch, created, run); ``run`` is None for a repeated file."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": [_("数据类型“%(k)s”无效") % {"k": kind}]})
    if not can_load(actor, kind):
        raise PermissionDenied(_("您的岗位无权导入该类数据。"))
    digest = content_hash(data)
    previous = ImportBatch.objects.filter(kind=kind, content_hash=digest, status=BatchStatus.LOADED).first()
    if previous is not None:
        return previous, False, None
    batch = ImportBatch(kind=kind, file_name=file_name[:200], content_hash=digest, as_of=as_of,
                        skip_bad_rows=skip_bad_rows, created_by=actor, unit_id=actor.unit_id, source=source)
    batch.full_clean(exclude=["content_hash"])
    batch.save()
    run = LoadRun(actor=actor, batch=batch, kind=kind, skip_bad_rows=skip_bad_rows, as_of=as_of, data=data)
    try:
        with transaction.atomic():
            table = read_table(data, file_name)
            run.header = table.header
            positions, header_errors = match_header(kind, table.header)
            if kind == ImportKind.BALANCES and "as_of" not in positions and as_of is None and not header_errors:
                header_errors.append({"line": 1, "column": "日期",
                                      "reason": _("文件没有“日期”列时必须指定数据日期")})
            if header_errors:
                raise FileProblem(header_errors)
            LOADERS[kind](run, table, positions)
            if kind == ImportKind.CUSTOMERS:
                summaries_rebuild()  # customers created or changed by the file: the roll-up summaries rebuilt
            elif kind == ImportKind.HOLDINGS:
                summaries_rebuild(balance_derived=True)  # the maturities by center and manager (issue 16)
            if run.total == 0:
                raise FileProblem([{"line": 2, "column": "", "reason": _("文件没有数据行。")}])
            if run.error_count and not run.skip_bad_rows:
                raise _Rejected
    except FileProblem as exc:
        for err in exc.errors:
            run.error(err["line"], err["column"], err["reason"])
        return _finish(batch, run, BatchStatus.REJECTED), True, run
    except _Rejected:
        return _finish(batch, run, BatchStatus.REJECTED), True, run
    return _finish(batch, run, BatchStatus.LOADED), True, run


def _finish(batch: ImportBatch, run: LoadRun, status: str) -> ImportBatch:
    batch.status = status
    batch.rows_total = run.total
    batch.rows_rejected = run.rows_rejected if run.total else 0
    batch.rows_loaded = run.loaded if status == BatchStatus.LOADED else 0
    batch.rows_skipped = run.skipped if status == BatchStatus.LOADED else 0
    batch.errors = run.errors
    batch.reject_file = run.reject_csv() if status == BatchStatus.LOADED else ""
    batch.loaded_keys = run.loaded_keys if status == BatchStatus.LOADED else []
    if batch.as_of is None and run.dates:
        batch.as_of = max(run.dates)
    batch.save()
    audit_record(actor=run.actor, action=AuditAction.IMPORT, obj=batch,
                 detail={"kind": batch.kind, "status": status, "loaded": batch.rows_loaded,
                         "rejected": batch.rows_rejected, "skipped": batch.rows_skipped})
    return batch


# ---------------------------------------------------------------------------------------------------------------
# After a balance load: AUM refresh, tiers (R2), downgrade alerts (R7) and the scan (R6)


def after_balance_load(*, actor, customer_batch: ImportBatch) -> dict:
    as_of = customer_batch.as_of or DailyBalance.objects.filter(batch=customer_batch).aggregate(m=Max("as_of"))["m"]
    customers_refresh_aum(batch=customer_batch)
    history_ids = tiers_recompute(as_of=as_of, actor=actor)
    summaries_rebuild(balance_derived=True)  # AUM sums by center/manager/tier follow the new balances (issue 16)
    opened = _alerts_open_for_downgrades(history_ids, actor)
    scanned = _alerts_scan(as_of, actor)
    return {"downgrades": len(history_ids), "downgrade_alerts": opened, "scan": scanned}


def customers_refresh_aum(*, batch: ImportBatch | None = None, customer_ids=None) -> int:
    """Set Customer.aum (latest), aum_avg (average over the last N days, N = tier.avg_days) and aum_as_of (R2).

    Set-based: one UPDATE … FROM over the customers touched by the batch (or the ids given).
    """
    days = int(get_param("tier.avg_days"))
    if batch is not None:
        return _refresh_aum_for_batch(batch, days)
    ids = list(customer_ids or [])
    updated = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        updated += _refresh_aum(", ".join(["%s"] * len(chunk)), chunk, days, literal=True)
    return updated


def _refresh_aum_for_batch(batch: ImportBatch, days: int) -> int:
    """The batch's customers, over the window of N days ending at the batch's last day (one statement whose
    date bounds are constants, so PostgreSQL prunes the monthly partitions). A customer whose data is already
    newer than this batch keeps it (loading an older day never moves AUM back)."""
    last = DailyBalance.objects.filter(batch=batch).aggregate(m=Max("as_of"))["m"]
    if last is None:
        return 0
    first = last - datetime.timedelta(days=days - 1)
    if connection.vendor == "postgresql":
        latest_aum = "(array_agg(b.aum ORDER BY b.as_of DESC))[1]"
    else:
        latest_aum = "b.aum"  # SQLite: a bare column takes its value from the MAX(as_of) row
    sql = f"""
        UPDATE customers_customer SET aum = x.aum, aum_as_of = x.as_of, aum_avg = ROUND(x.avg_aum, 2)
        FROM (
            SELECT b.customer_id, MAX(b.as_of) AS as_of, AVG(b.aum) AS avg_aum, {latest_aum} AS aum
            FROM corebanking_dailybalance b
            WHERE b.as_of >= %s AND b.as_of <= %s
              AND b.customer_id IN (SELECT customer_id FROM corebanking_dailybalance WHERE batch_id = %s)
            GROUP BY b.customer_id
        ) x
        WHERE x.customer_id = customers_customer.id
          AND (customers_customer.aum_as_of IS NULL OR customers_customer.aum_as_of <= x.as_of)
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A fresh load leaves the new partition rows without statistics: plan on real numbers.
            cursor.execute("ANALYZE corebanking_dailybalance")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, [first, last, batch.pk])
        return cursor.rowcount


def _refresh_aum(target_sql: str, params: list, days: int, literal: bool = False) -> int:
    target = f"({target_sql})"
    if connection.vendor == "postgresql":
        window_start = f"l.as_of - {days:d}"
    else:
        window_start = f"date(l.as_of, '-{days:d} days')"
    sql = f"""
        WITH latest AS (
            SELECT b.customer_id, MAX(b.as_of) AS as_of FROM corebanking_dailybalance b
            WHERE b.customer_id IN {target} GROUP BY b.customer_id
        ),
        avgs AS (
            SELECT l.customer_id, l.as_of, AVG(b.aum) AS avg_aum,
                   MAX(CASE WHEN b.as_of = l.as_of THEN b.aum END) AS aum
            FROM latest l JOIN corebanking_dailybalance b
              ON b.customer_id = l.customer_id AND b.as_of > {window_start} AND b.as_of <= l.as_of
            GROUP BY l.customer_id, l.as_of
        )
        UPDATE customers_customer SET aum = avgs.aum, aum_as_of = avgs.as_of, aum_avg = ROUND(avgs.avg_aum, 2)
        FROM avgs WHERE avgs.customer_id = customers_customer.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _tier_case():
    whens = [When(aum_avg__gte=minimum, then=Value(tier)) for tier, minimum in tier_thresholds().items()]
    return Case(*whens, default=Value(Tier.ORDINARY), output_field=CharField())


@transaction.atomic
def tiers_recompute(*, as_of: datetime.date, actor=None) -> list[int]:
    """R2: each customer's tier from the average daily AUM of the last N days against the thresholds.

    Only customers whose balances are as of ``as_of`` are recomputed. Changes are written set-based: one
    INSERT … SELECT of TierHistory rows (source "recompute") and one UPDATE with the same CASE. Returns the ids of the
    downgrade rows (they open R7 alerts). Running it twice changes nothing the second time.
    """
    changed = (Customer.objects.filter(aum_as_of=as_of).annotate(new_tier=_tier_case())
               .exclude(tier=F("new_tier")))
    last_id = TierHistory.objects.aggregate(m=Max("id"))["m"] or 0
    now = timezone.now()
    select = changed.order_by().values_list("id", "tier", "new_tier", Value(as_of), "aum_avg",
                                            Value(TierChangeSource.RECOMPUTE), Value(""), Value(now))
    select_sql, params = select.query.sql_with_params()
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(TierHistory._meta.db_table)} (customer_id, from_tier, to_tier, changed_on, aum_avg, "
            f"source, reason, created_at) {select_sql}", params)
    new_rows = TierHistory.objects.filter(id__gt=last_id, changed_on=as_of, source=TierChangeSource.RECOMPUTE)
    tier_changes_added(new_rows)  # the dashboards' tier-change summary, in this transaction (issue 16)
    downgrades = list(new_rows.downgrades().values_list("id", flat=True))
    count = new_rows.count()
    # One audit row for the batch (the customers' derived tier), written by the audited bulk-update helper.
    audited_update(Customer.objects.filter(aum_as_of=as_of).exclude(tier=_tier_case()), actor=actor,
                   what="tiers_recompute", detail={"as_of": as_of.isoformat(), "changes": count,
                                                   "downgrades": len(downgrades)},
                   tier=_tier_case())
    return downgrades


def _alerts_open_for_downgrades(history_ids: list[int], actor) -> int:
    try:
        from wealthdesk.alerts.services import alerts_open_for_downgrades
    except ImportError:  # the alerts app is optional for the loads
        return 0
    return alerts_open_for_downgrades(history_ids=history_ids, actor=actor)


def _alerts_scan(as_of: datetime.date, actor) -> dict:
    try:
        from wealthdesk.alerts.services import alerts_scan
    except ImportError:
        return {}
    return alerts_scan(as_of=as_of, actor=actor)


# ---------------------------------------------------------------------------------------------------------------
# Rollback (R8)


def rollback_blocker(batch: ImportBatch) -> str:
    """Why this batch cannot be rolled back ('' when it can): a later batch or other data depends on it."""
    if batch.status != BatchStatus.LOADED:
        return _("只有“已导入”的批次可以回滚。")
    if batch.kind == ImportKind.CUSTOMERS:
        ids = batch.loaded_keys or []
        for model, label in ((Holding, _("持仓")), (DailyBalance, _("日终资产余额")), (Transaction, _("交易流水"))):
            dependent = model.objects.filter(customer_id__in=ids).exclude(batch=batch).values("batch_id").first()
            if dependent:
                return _("后续批次 #%(b)s 的%(what)s引用了本批次导入的客户，请先回滚该批次。") % {
                    "b": dependent["batch_id"], "what": label}
    if batch.kind == ImportKind.PRODUCTS:
        products = Product.objects.filter(batch=batch)
        for model, label in ((Holding, _("持仓")), (Transaction, _("交易流水"))):
            dependent = model.objects.filter(product__in=products).values("batch_id").first()
            if dependent:
                return _("后续批次 #%(b)s 的%(what)s引用了本批次导入的产品，请先回滚该批次。") % {
                    "b": dependent["batch_id"], "what": label}
    if batch.kind == ImportKind.BALANCES:
        later = (ImportBatch.objects.filter(kind=ImportKind.BALANCES, status=BatchStatus.LOADED, id__gt=batch.id,
                                            as_of__gt=batch.as_of).order_by("id").first() if batch.as_of else None)
        if later:
            return _("后续余额批次 #%(b)s（%(d)s）的级别重算依赖本批次，请先回滚该批次。") % {
                "b": later.id, "d": later.as_of.isoformat()}
    return ""


@transaction.atomic
def batch_rollback(*, actor, batch: ImportBatch) -> ImportBatch:
    """Remove what one batch loaded (R8); refused with the reason when later batches depend on it."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not can_load(actor, batch.kind):
        raise PermissionDenied(_("您的岗位无权回滚该类数据。"))
    if batch.status != BatchStatus.LOADED:  # checked on the row read under the lock (DESIGN rule 13)
        raise ValidationError({"batch": [_("只有已导入的批次可以回滚（该批次当前状态：%(s)s）。")
                                         % {"s": batch.get_status_display()}]})
    reason = rollback_blocker(batch)
    if reason:
        raise ValidationError({"batch": [reason]})
    removed = 0
    try:
        with transaction.atomic():
            if batch.kind == ImportKind.CUSTOMERS:
                removed = audited_delete(Customer.objects.filter(pk__in=batch.loaded_keys or []), actor=actor,
                                         what="batch_rollback", detail={"batch": batch.pk})
                summaries_rebuild()
            elif batch.kind == ImportKind.PRODUCTS:
                removed, _d = Product.objects.filter(batch=batch).delete()
            elif batch.kind == ImportKind.HOLDINGS:
                removed, _d = Holding.objects.filter(batch=batch).delete()
                summaries_rebuild(balance_derived=True)
            elif batch.kind == ImportKind.TRANSACTIONS:
                removed, _d = Transaction.objects.filter(batch=batch).delete()
            else:
                customer_ids = list(DailyBalance.objects.filter(batch=batch).values_list("customer_id", flat=True)
                                    .distinct())
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM corebanking_dailybalance WHERE batch_id = %s", [batch.pk])
                    removed = cursor.rowcount
                customers_refresh_aum(customer_ids=customer_ids)
    except (ProtectedError, IntegrityError) as exc:
        raise ValidationError({"batch": [_("其他业务数据（如预警证据、联系记录）引用了本批次的数据，不能回滚：%(e)s")
                                         % {"e": exc.__class__.__name__}]}) from None
    batch.status = BatchStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.rolled_back_by = actor
    batch.save(update_fields=["status", "rolled_back_at", "rolled_back_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.DELETE, obj=batch, detail={"rollback": True, "removed": removed})
    return batch
