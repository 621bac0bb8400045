"""Maintained summaries for the roll-up pages (DESIGN rule 14, issue 16).

A roll-up figure (customers per tier, contact coverage, the orgs tree's counts) is read from a small table of
counts instead of aggregating the customer table at head office. Each such table is a *customer summary*:

* its rows are keyed by a few columns (center, client manager, tier, …) and hold additive values (``n``, ``aum``);
* ``snapshot(ids)`` is the grouped query that computes those rows from the base tables for some customers
  (``ids``) or for all (``None``) — the one definition of the figure, used to maintain, rebuild and check it.

Writes keep the tables current **in their own transaction**: a service that changes customers (create, tier
change, transfer) or what a summary derives from them (a contact) wraps the change in
``customers_tracked(ids)``; it snapshots the customers' rows before and after and adds the difference with
race-safe increments (``UPDATE … SET n = n + d``, an INSERT when the key is new, retried as an UPDATE when a
concurrent transaction inserted it first). The rows of the customers touched must be locked (the services lock
them) so the two snapshots see one state. Figures derived from balances (AUM) are rebuilt by the daily load
(``rebuild(balance_derived=True)``), like ``dashboards.CenterDayAum``. ``manage.py rebuild_summaries`` rebuilds
every table (idempotent); ``--check`` compares each table with its snapshot of all customers.

Apps register their summaries in ``nav.py``: ``register_customer_summary(key, "app.Model", keys=(...),
values=(...), snapshot=fn, balance_derived=False)``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

CHUNK = 2000


@dataclass(frozen=True)
class CustomerSummary:
    key: str
    model_label: str
    keys: tuple[str, ...]
    values: tuple[str, ...]
    snapshot: Callable  # (ids: list[int] | None) -> QuerySet of value tuples (keys..., values...)
    balance_derived: bool = False

    @property
    def model(self):
        return apps.get_model(self.model_label)


_SUMMARIES: dict[str, CustomerSummary] = {}


def register_customer_summary(key: str, model_label: str, *, keys: Iterable[str], values: Iterable[str],
                              snapshot: Callable, balance_derived: bool = False) -> None:
    _SUMMARIES[key] = CustomerSummary(key, model_label, tuple(keys), tuple(values), snapshot, balance_derived)


@dataclass(frozen=True)
class StateTable:
    """A per-row state a summary derives from (e.g. each customer's last contact): rebuilt before the summaries."""

    key: str
    rebuild: Callable[[], int]
    differences: Callable[[], list]


_STATES: dict[str, StateTable] = {}


def register_state_table(key: str, *, rebuild: Callable[[], int], differences: Callable[[], list]) -> None:
    _STATES[key] = StateTable(key, rebuild, differences)


def state_tables() -> list[StateTable]:
    return list(_STATES.values())


def customer_summaries() -> list[CustomerSummary]:
    return list(_SUMMARIES.values())


def _chosen(only: Iterable[str] | None) -> list[CustomerSummary]:
    if only is None:
        return customer_summaries()
    wanted = set(only)
    return [s for s in _SUMMARIES.values() if s.key in wanted]


def _rows(summary: CustomerSummary, ids: list[int] | None) -> dict[tuple, tuple]:
    """``{key tuple: value tuple}`` of the snapshot, for some customers (in chunks) or all of them."""
    out: dict[tuple, list] = {}
    chunks = [None] if ids is None else [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
    width = len(summary.keys)
    for chunk in chunks:
        for row in summary.snapshot(chunk):
            key, vals = tuple(row[:width]), row[width:]
            acc = out.setdefault(key, [0] * len(vals))
            for i, v in enumerate(vals):
                acc[i] += v or 0
    return {k: tuple(v) for k, v in out.items()}


def bump(model, key: dict, deltas: dict) -> None:
    """Add ``deltas`` to the row of ``key`` (created when missing), race-safe: an atomic increment, never a
    read-modify-write; a concurrent first insert of the same key makes ours fall back to the increment."""
    deltas = {f: d for f, d in deltas.items() if d}
    if not deltas:
        return
    increment = {f: F(f) + d for f, d in deltas.items()}
    if model.objects.filter(**key).update(**increment):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **deltas)
    except IntegrityError:
        model.objects.filter(**key).update(**increment)


def _apply(summary: CustomerSummary, before: dict, after: dict) -> None:
    model = summary.model
    for key in set(before) | set(after):
        old = before.get(key, (0,) * len(summary.values))
        new = after.get(key, (0,) * len(summary.values))
        deltas = {f: n - o for f, o, n in zip(summary.values, old, new, strict=True)}
        bump(model, dict(zip(summary.keys, key, strict=True)), deltas)


@contextmanager
def customers_tracked(ids: Iterable[int], *, only: Iterable[str] | None = None) -> Iterator[None]:
    """Keep the customer summaries current across a change of the customers ``ids`` (already locked)."""
    ids = sorted({int(i) for i in ids})
    chosen = _chosen(only) if ids else []
    before = {s.key: _rows(s, ids) for s in chosen}
    yield
    for s in chosen:
        _apply(s, before[s.key], _rows(s, ids))


def snapshot_rows(ids: Iterable[int], *, only: Iterable[str] | None = None) -> dict[str, dict]:
    """The rows of every summary for these customers now (the "before" of a change)."""
    ids = sorted({int(i) for i in ids})
    return {s.key: _rows(s, ids) for s in _chosen(only)} if ids else {}


def apply_rows(before: dict[str, dict], ids: Iterable[int], *, only: Iterable[str] | None = None) -> None:
    """Add the difference between ``before`` (``snapshot_rows``; ``{}`` for new customers) and now."""
    ids = sorted({int(i) for i in ids})
    for s in (_chosen(only) if ids else []):
        _apply(s, before.get(s.key, {}), _rows(s, ids))


_TRACKED_MODELS: dict[str, frozenset[str]] = {}


def register_tracked_model(model_label: str, fields: Iterable[str]) -> None:
    """Bulk updates (``core.audit.audited_update``) of this model that touch ``fields`` keep the summaries."""
    _TRACKED_MODELS[model_label.lower()] = frozenset(fields)


@contextmanager
def tracked_update(queryset, changes: dict) -> Iterator[None]:
    """Around ``queryset.update(**changes)``: the summaries follow when the model and fields are tracked."""
    fields = _TRACKED_MODELS.get(queryset.model._meta.label_lower)
    if not fields or not fields & set(changes) or not _SUMMARIES:
        yield
        return
    with transaction.atomic(), customers_tracked(queryset.order_by().values_list("pk", flat=True)):
        yield


def customers_added(ids: Iterable[int], *, only: Iterable[str] | None = None) -> None:
    """New customers: add their rows to every summary."""
    ids = sorted({int(i) for i in ids})
    for s in (_chosen(only) if ids else []):
        _apply(s, {}, _rows(s, ids))


def _table(summary: CustomerSummary) -> str:
    return summary.model._meta.db_table


@transaction.atomic
def rebuild_one(summary: CustomerSummary) -> int:
    """Replace the table's rows by the snapshot of all customers: one DELETE and one INSERT … SELECT, the table
    locked against concurrent increments (PostgreSQL) so none is lost or counted twice."""
    model, qn = summary.model, connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {qn(_table(summary))} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {qn(_table(summary))}")
        sql, params = summary.snapshot(None).query.sql_with_params()
        columns = ", ".join(qn(model._meta.get_field(f).column) for f in (*summary.keys, *summary.values))
        cursor.execute(f"INSERT INTO {qn(_table(summary))} ({columns}) {sql}", params)
        return cursor.rowcount


@transaction.atomic
def rebuild(*, balance_derived: bool = False, only: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the state tables and every summary (or only the balance-derived summaries, after a balance load)."""
    done = {} if balance_derived or only is not None else {t.key: t.rebuild() for t in state_tables()}
    chosen = [s for s in _chosen(only) if s.balance_derived or not balance_derived]
    return {**done, **{s.key: rebuild_one(s) for s in chosen}}


def check() -> dict[str, list]:
    """Every state table and summary against its live computation: ``{key: differences}`` (empty lists: equal)."""
    out = {t.key: t.differences() for t in state_tables()}
    out.update({s.key: differences(s) for s in customer_summaries()})
    return out


def stored_rows(summary: CustomerSummary) -> dict[tuple, tuple]:
    rows = (summary.model.objects.values_list(*summary.keys).order_by()
            .annotate(**{f"sum_{v}": Sum(v) for v in summary.values}))
    width = len(summary.keys)
    return {tuple(r[:width]): tuple(x or 0 for x in r[width:]) for r in rows}


def differences(summary: CustomerSummary) -> list[tuple]:
    """``[(key, stored, live)]`` where the table differs from the snapshot of all customers (zero rows ignored)."""
    zero = (0,) * len(summary.values)
    stored = {k: v for k, v in stored_rows(summary).items() if any(v)}
    live = {k: v for k, v in _rows(summary, None).items() if any(v)}
    return [(k, stored.get(k, zero), live.get(k, zero)) for k in sorted(set(stored) | set(live), key=repr)
            if stored.get(k, zero) != live.get(k, zero)]


# ---- rows about a customer that a summary derives from (contacts, tier history, holdings) -------------------

def track_customer_rows(model, *, only: Iterable[str], customer_field: str = "customer_id") -> None:
    """Keep the summaries ``only`` current across every ORM save and delete of ``model``'s rows (each belongs to
    one customer through ``customer_field``): before the write the customers concerned (the old and the new
    one when a row moves) are locked and their summary rows snapshot, after it the difference is added — in the
    writer's transaction. Bulk writes (``bulk_create``, raw SQL, a queryset's ``delete()``, the loads) keep the
    summaries themselves (``customers_tracked``, ``rebuild``)."""
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    keys = tuple(only)
    label = model._meta.label_lower

    def _ids(instance) -> list[int]:
        ids = {getattr(instance, customer_field)}
        if instance.pk is not None:
            ids |= set(model._default_manager.filter(pk=instance.pk).values_list(customer_field, flat=True))
        return sorted(i for i in ids if i is not None)

    def _before(sender, instance, raw=False, origin=None, **kwargs):
        instance._customer_rows_before = None
        if raw or (origin is not None and not isinstance(origin, model)):
            return  # a queryset's or a cascade's delete: the bulk writer rebuilds (batch rollbacks do)
        ids = _ids(instance)
        _lock_customers(ids)
        instance._customer_rows_before = (ids, snapshot_rows(ids, only=keys))

    def _after(sender, instance, raw=False, **kwargs):
        state = getattr(instance, "_customer_rows_before", None)
        if raw or state is None:
            return
        ids, before = state
        instance._customer_rows_before = None
        apply_rows(before, ids, only=keys)

    uid = f"core.summaries.{label}.{'.'.join(keys)}"
    pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}.pre_save", weak=False)
    post_save.connect(_after, sender=model, dispatch_uid=f"{uid}.post_save", weak=False)
    pre_delete.connect(_before, sender=model, dispatch_uid=f"{uid}.pre_delete", weak=False)
    post_delete.connect(_after, sender=model, dispatch_uid=f"{uid}.post_delete", weak=False)


def _lock_customers(ids: list[int]) -> None:
    """The customers' rows under ``select_for_update`` (in id order), so concurrent writers about one customer
    take their snapshots one after the other (outside a transaction every statement commits alone: no lock)."""
    if not ids or not connection.in_atomic_block:
        return
    customer = apps.get_model("customers", "Customer")
    list(customer.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk").values_list("pk"))
