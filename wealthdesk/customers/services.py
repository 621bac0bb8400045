"""Writes to the customer master (DESIGN rule 2): keyword-only, atomic, validated, audited."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record, audited_update
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.reveal import check_reveal_cap
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for

from .choices import TIER_RANK, Tier, TierChangeSource
from .models import DEFAULT_THRESHOLDS, Customer, ManagerAssignment, TierHistory, TierThreshold

EDITABLE_FIELDS = ("cif_no", "name", "gender", "birth_date", "id_type", "id_number", "mobile", "address",
                   "occupation", "risk_level", "client_manager", "center", "status", "tier")
REVEALABLE_FIELDS = ("id_number", "mobile", "address")
CUSTOMER_WRITERS = frozenset({Role.ARCHIVE_KEEPER, Role.CENTER_HEAD})  # R29: the keeper enters customer data
MASTER_FIELDS = ("cif_no", "name", "gender", "birth_date", "id_type", "id_number", "mobile", "address",
                 "occupation", "risk_level", "status")
CONTACT_FIELDS = ("mobile", "address", "occupation")
GUARDED_FIELDS = ("id_type", "id_number", "mobile")  # changing them needs the reveal right (R28)
# Who manages the customer book: edits every master field and reassigns (the head in the own center, the upper
# levels in their subtree). The archive keeper edits master data but does not reassign.
CUSTOMER_MANAGERS = frozenset({Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})
CUSTOMER_EDITORS = CUSTOMER_MANAGERS | {Role.ARCHIVE_KEEPER, Role.CLIENT_MANAGER}


def tier_thresholds() -> dict[str, Decimal]:
    """Current thresholds (head office's, else SPEC defaults), highest tier first."""
    stored = dict(TierThreshold.objects.values_list("tier", "min_aum"))
    merged = {tier: stored.get(tier, default) for tier, default in DEFAULT_THRESHOLDS.items()}
    return dict(sorted(merged.items(), key=lambda kv: -TIER_RANK[kv[0]]))


def tier_for_aum(avg_aum: Decimal, thresholds: dict[str, Decimal] | None = None) -> str:
    """R2: the tier an average daily AUM earns."""
    for tier, minimum in (thresholds or tier_thresholds()).items():
        if avg_aum >= minimum:
            return tier
    return Tier.ORDINARY


def _ensure_visible(actor, customer: Customer) -> None:
    """After a write, the saved customer must still be visible to its author (DESIGN rule 1)."""
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationError({"center": [_("保存后的客户不在您的管辖范围内。")]})


@transaction.atomic
def customer_create(*, actor, **fields) -> Customer:
    """Enter a new customer (archive keeper or center head, R29)."""
    if not scope_for(actor).has(*CUSTOMER_WRITERS):
        raise PermissionDenied(_("您的岗位无权录入客户。"))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in sorted(unknown)})
    customer = Customer(created_by=actor, **fields)
    customer.full_clean()
    customer.save()
    if customer.tier != Tier.ORDINARY:
        TierHistory.objects.create(customer=customer, from_tier="", to_tier=customer.tier,
                                   changed_on=dt.date.today(), source=TierChangeSource.MANUAL, reason=_("新建客户"))
    if customer.client_manager_id:
        ManagerAssignment.objects.create(customer=customer, to_manager_id=customer.client_manager_id,
                                         changed_by=actor, reason=_("新建客户"))
    _ensure_visible(actor, customer)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=customer)
    return customer


def editable_fields(actor, customer: Customer) -> frozenset[str]:
    """Which master fields ``actor`` may change on ``customer`` (decided in docs/users.md, "客户资料维护"):

    * center head (own center) and the upper-level service roles (their subtree): every master field and the tier;
    * archive keeper (R29): the master data fields, not the tier;
    * client manager: the contact data (mobile, address, occupation) of their own customers;
    * everyone else: nothing.
    Changing the ID type/number or the mobile also needs the right to see them in clear (``can_reveal``, R28).
    The responsible client manager and the center change only through the reassignment services.
    """
    scope = scope_for(actor)
    if scope.has(*CUSTOMER_MANAGERS):
        allowed = set(MASTER_FIELDS) | {"tier"}
    elif scope.has(Role.ARCHIVE_KEEPER):
        allowed = set(MASTER_FIELDS)
    elif scope.has(Role.CLIENT_MANAGER) and customer.client_manager_id == actor.pk:
        allowed = set(CONTACT_FIELDS)
    else:
        return frozenset()
    if not can_reveal(actor, customer):
        allowed -= set(GUARDED_FIELDS)
    return frozenset(allowed)


def _locked(actor, customer: Customer, version: int | None) -> Customer:
    """The customer row under ``select_for_update``, within the actor's scope, at the version they read."""
    locked = (Customer.objects.visible_to(actor).select_for_update(of=("self",))
              .filter(pk=customer.pk).first())
    if locked is None:
        raise PermissionDenied(_("该客户不在您的管辖范围内。"))
    if version is not None and int(version) != locked.version:
        raise Conflict(_("该客户资料已被他人修改（当前版本 %(v)s），您的修改未保存，请刷新后重新填写。") % {"v": locked.version},
                       current=locked.version)
    return locked


@transaction.atomic
def customer_update(*, actor, customer: Customer, version: int | None = None, **fields) -> Customer:
    """Change customer master fields (who may change what: ``editable_fields``). ``version`` is the version the
    author read: a stale one is refused (409 in the API). A tier change is recorded in the history."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in sorted(unknown)})
    moved = sorted({"client_manager", "center"} & set(fields))
    locked = _locked(actor, customer, version)
    changed = sorted(k for k, v in fields.items() if getattr(locked, k) != v)
    moved = [k for k in moved if k in changed]
    if moved:
        raise ValidationError({k: [_("请通过“移交客户”变更客户经理或理财中心。")] for k in moved})
    allowed = editable_fields(actor, locked)
    denied = [k for k in changed if k not in allowed]
    if denied:
        labels = "、".join(str(Customer._meta.get_field(k).verbose_name) for k in denied)
        raise PermissionDenied(_("您无权修改以下字段：%(fields)s。") % {"fields": labels})
    if not changed:
        return locked
    old_tier = locked.tier
    for key in changed:
        setattr(locked, key, fields[key])
    locked.full_clean()
    locked.version += 1
    locked.save()
    if locked.tier != old_tier:
        TierHistory.objects.create(customer=locked, from_tier=old_tier, to_tier=locked.tier,
                                   changed_on=dt.date.today(), source=TierChangeSource.MANUAL,
                                   reason=_("人工调整"))
    _ensure_visible(actor, locked)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"fields": changed})
    customer.__dict__.update({k: getattr(locked, k) for k in (*changed, "version")})
    return locked


def can_reveal(actor, customer: Customer) -> bool:
    """R28: only the responsible client manager and the head of the customer's center may unmask."""
    scope = scope_for(actor)
    if scope.has(Role.CLIENT_MANAGER) and customer.client_manager_id == actor.pk:
        return True
    return scope.has(Role.CENTER_HEAD) and scope.unit_id == customer.center_id


def customer_reveal(*, actor, customer: Customer, field: str, reason: str) -> str:
    """Return one unmasked field, after checking the role, the daily cap (core.reveal) and recording the reason in
    the audit log."""
    if field in REVEALABLE_FIELDS and len((reason or "").strip()) >= 2 and can_reveal(actor, customer):
        check_reveal_cap(actor=actor, customer_id=customer.pk)  # refused past it, the head alerted (kept)
    return _customer_reveal(actor=actor, customer=customer, field=field, reason=reason)


@transaction.atomic
def _customer_reveal(*, actor, customer: Customer, field: str, reason: str) -> str:
    if field not in REVEALABLE_FIELDS:
        raise ValidationError({"field": [_("只能查看证件号码、手机号或地址的明文。")]})
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("请填写查看明文的原因。")]})
    if not can_reveal(actor, customer):
        raise PermissionDenied(_("只有客户的负责客户经理和理财中心负责人可以查看明文。"))
    audit_record(actor=actor, action=AuditAction.REVEAL, obj=customer, detail={"field": field, "reason": reason})
    return getattr(customer, field)


@transaction.atomic
def customer_set_tier(*, customer: Customer, to_tier: str, changed_on: dt.date, source: str,
                      aum_avg: Decimal | None = None, reason: str = "") -> TierHistory | None:
    """Move a customer to a tier and keep the history (used by the recomputation of R2)."""
    if customer.tier == to_tier:
        return None
    row = TierHistory.objects.create(customer=customer, from_tier=customer.tier, to_tier=to_tier,
                                     changed_on=changed_on, aum_avg=aum_avg, source=source, reason=reason)
    list(Customer.objects.select_for_update(of=("self",)).filter(pk=customer.pk).values_list("pk"))
    audited_update(Customer.objects.filter(pk=customer.pk), actor=None, what="customer_set_tier",
                   detail={"source": source}, tier=to_tier)
    customer.tier = to_tier
    return row


@transaction.atomic
def tier_thresholds_set(*, actor, private: Decimal, core: Decimal, premium: Decimal) -> dict[str, Decimal]:
    """Head office sets the minimum average AUM of each tier (R2); they must rise with the tier."""
    from wealthdesk.core.settings_services import _require_head_office

    _require_head_office(actor)
    values = {Tier.PRIVATE: private, Tier.CORE: core, Tier.PREMIUM: premium}
    errors = {t: [_("请填写不小于 0 的金额。")] for t, v in values.items() if v is None or v < 0}
    if not errors and not (private > core > premium > 0):
        errors["__all__"] = [_("标准必须逐级提高：私人银行 > 核心优质 > 普通优质 > 0。")]
    if errors:
        raise ValidationError(errors)
    old = {t: str(v) for t, v in tier_thresholds().items()}
    for tier, minimum in values.items():
        TierThreshold.objects.update_or_create(tier=tier, defaults={"min_aum": minimum, "created_by": actor})
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=None, unit_id=actor.unit_id,
                 detail={"what": "tier_thresholds", "from": old, "to": {t: str(v) for t, v in values.items()}})
    return tier_thresholds()


# --- Reassignment of the responsible client manager (R3) ----------------------------------------------------

BALANCE_CHOICES = ("count", "aum")


def can_reassign(actor) -> bool:
    """The center head (own center) and the upper-level service roles (their subtree); not the archive keeper."""
    return scope_for(actor).has(*CUSTOMER_MANAGERS)


def _require_reassigner(actor) -> None:
    if not can_reassign(actor):
        raise PermissionDenied(_("只有理财中心负责人和上级机构客户服务岗位可以移交客户。"))


def _check_target(actor, manager, center_id: int, field: str = "to_manager") -> None:
    from wealthdesk.staff.models import User

    ok = (manager is not None and manager.is_active and manager.unit_id == center_id
          and User.objects.visible_to(actor).filter(pk=manager.pk, role_assignments__role=Role.CLIENT_MANAGER)
          .exists())
    if not ok:
        raise ValidationError({field: [_("请选择客户所在理财中心的在岗客户经理。")]})


def _notify_reassigned(*, actor, old_id, new_manager, customers: list[Customer]) -> None:
    from django.urls import reverse

    from wealthdesk.core.masking import mask_name
    from wealthdesk.core.notifications import notify

    if not customers:
        return
    if len(customers) == 1:
        c = customers[0]
        who = mask_name(c.name)
        notify(recipients=[new_manager], obj=c, url=reverse("customers:detail", args=[c.pk]),
               text=_("客户 %(name)s（%(cif)s）已移交给您负责，操作人：%(actor)s。")
               % {"name": who, "cif": c.cif_no, "actor": actor})
        if old_id:
            notify(recipients=[old_id], obj=c,
                   text=_("您负责的客户 %(name)s（%(cif)s）已移交给 %(to)s，操作人：%(actor)s。")
                   % {"name": who, "cif": c.cif_no, "to": new_manager, "actor": actor})
        return
    url = reverse("customers:list") + f"?client_manager={new_manager.pk}"
    notify(recipients=[new_manager], url=url,
           text=_("%(n)s 名客户已移交给您负责，操作人：%(actor)s。") % {"n": len(customers), "actor": actor})


@transaction.atomic
def customer_reassign(*, actor, customer: Customer, to_manager, reason: str = "",
                      version: int | None = None) -> Customer:
    """Give one customer a new responsible client manager of the same center; history, audit, both notified."""
    _require_reassigner(actor)
    locked = _locked(actor, customer, version)
    _check_target(actor, to_manager, locked.center_id)
    if locked.client_manager_id == to_manager.pk:
        raise ValidationError({"to_manager": [_("该客户已由此客户经理负责。")]})
    old_id = locked.client_manager_id
    locked.client_manager = to_manager
    locked.version += 1
    locked.save(update_fields=["client_manager", "version", "updated_at"])
    ManagerAssignment.objects.create(customer=locked, from_manager_id=old_id, to_manager=to_manager,
                                     changed_by=actor, reason=(reason or "").strip()[:200])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked,
                 detail={"what": "reassign", "from": old_id, "to": to_manager.pk})
    _notify_reassigned(actor=actor, old_id=old_id, new_manager=to_manager, customers=[locked])
    customer.client_manager, customer.version = to_manager, locked.version
    return locked


def plan_reassignment(customers: list[Customer], targets: list, *, balance: str = "count",
                      loads: dict[int, int] | None = None) -> dict[int, list[Customer]]:
    """Share ``customers`` out among ``targets`` (users): the largest AUM first, each to the target that has
    received the least so far — by number of customers (``count``) or by AUM (``aum``); ties go to the target
    with the smaller current book (``loads``: premium customers now), then the lower id. Deterministic."""
    loads = loads or {}
    given: dict[int, list] = {t.pk: [] for t in targets}
    weight = {t.pk: Decimal("0") for t in targets}
    for c in sorted(customers, key=lambda c: (-c.aum_avg, c.pk)):
        best = min(targets, key=lambda t: (weight[t.pk], loads.get(t.pk, 0) + len(given[t.pk]), t.pk))
        given[best.pk].append(c)
        weight[best.pk] += c.aum_avg if balance == "aum" else 1
    return given


def bulk_candidates(actor, from_manager, tiers) -> list[Customer]:
    """The customers of ``from_manager`` (in the actor's scope) of the chosen tiers, largest AUM first."""
    return list(Customer.objects.visible_to(actor).filter(client_manager=from_manager, tier__in=list(tiers))
                .order_by("-aum_avg", "id"))


def _bulk_errors(actor, from_manager, to_managers, tiers, balance) -> dict:
    errors: dict[str, list] = {}
    if from_manager is None:
        errors["from_manager"] = [_("请选择要移交客户的客户经理。")]
    if not tiers or any(t not in Tier.values for t in tiers):
        errors["tiers"] = [_("请至少选择一个客户级别。")]
    if balance not in BALANCE_CHOICES:
        errors["balance"] = [_("请选择按客户数或按资产均衡。")]
    if not to_managers:
        errors["to_managers"] = [_("请至少选择一名接手的客户经理。")]
    elif from_manager is not None and any(m.pk == from_manager.pk for m in to_managers):
        errors["to_managers"] = [_("接手的客户经理不能是移交客户的客户经理本人。")]
    elif from_manager is not None:
        for m in to_managers:
            try:
                _check_target(actor, m, from_manager.unit_id, field="to_managers")
            except ValidationError as exc:
                errors.update(exc.message_dict)
                break
    return errors


@transaction.atomic
def customers_reassign_bulk(*, actor, from_manager, to_managers: list, tiers, balance: str = "count",
                            reason: str = "") -> dict[int, list[Customer]]:
    """Hand a (leaving) client manager's book — the customers of the chosen tiers — to one or several client
    managers of the same center, balanced by count or AUM (``plan_reassignment``). One history row and one audit
    row per customer, one notification per person involved. Returns ``{manager_id: [customers]}``."""
    import uuid

    from django.db.models import F

    from wealthdesk.core.audit import audit_many

    _require_reassigner(actor)
    tiers = list(tiers or [])
    errors = _bulk_errors(actor, from_manager, to_managers, tiers, balance)
    if errors:
        raise ValidationError(errors)
    ids = list(Customer.objects.visible_to(actor).filter(client_manager=from_manager, tier__in=tiers)
               .values_list("pk", flat=True))
    customers = list(Customer.objects.select_for_update().filter(pk__in=ids, client_manager=from_manager))
    if not customers:
        raise ValidationError({"tiers": [_("该客户经理名下没有所选级别的客户。")]})
    plan = plan_reassignment(customers, list(to_managers), balance=balance, loads=manager_loads(to_managers))
    batch, reason = uuid.uuid4().hex, (reason or "").strip()[:200]
    by_id = {m.pk: m for m in to_managers}
    history = []
    for manager_id, group in plan.items():
        if not group:
            continue
        audited_update(Customer.objects.filter(pk__in=[c.pk for c in group]), actor=actor, what="reassign",
                       detail={"from": from_manager.pk, "to": manager_id, "batch": batch},
                       client_manager_id=manager_id, version=F("version") + 1)
        history += [ManagerAssignment(customer=c, from_manager=from_manager, to_manager_id=manager_id,
                                      changed_by=actor, reason=reason, batch=batch) for c in group]
        audit_many(actor=actor, action=AuditAction.CHANGE, objects=group,
                   detail={"what": "reassign", "from": from_manager.pk, "to": manager_id, "batch": batch})
        _notify_reassigned(actor=actor, old_id=None, new_manager=by_id[manager_id], customers=group)
    ManagerAssignment.objects.bulk_create(history)
    from wealthdesk.core.notifications import notify

    receivers = "、".join(str(by_id[m]) for m, g in plan.items() if g)
    notify(recipients=[from_manager],
           text=_("您负责的 %(n)s 名客户已移交给 %(to)s，操作人：%(actor)s。")
           % {"n": len(customers), "to": receivers, "actor": actor})
    return {m: g for m, g in plan.items() if g}


def manager_loads(managers) -> dict[int, int]:
    """Premium customers (R3's book) per client manager now, one query."""
    from django.db.models import Count

    ids = [getattr(m, "pk", m) for m in managers]
    rows = (Customer.objects.filter(client_manager_id__in=ids).exclude(tier=Tier.ORDINARY)
            .values("client_manager_id").annotate(n=Count("id")))
    loads = {i: 0 for i in ids}
    loads.update({r["client_manager_id"]: r["n"] for r in rows})
    return loads
