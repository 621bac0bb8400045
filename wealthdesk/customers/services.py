"""Writes to the customer master (DESIGN rule 2): keyword-only, atomic, validated, audited."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for

from .choices import TIER_RANK, Tier, TierChangeSource
from .models import DEFAULT_THRESHOLDS, Customer, TierHistory, TierThreshold

EDITABLE_FIELDS = ("cif_no", "name", "gender", "birth_date", "id_type", "id_number", "mobile", "address",
                   "occupation", "risk_level", "client_manager", "center", "status", "tier")
REVEALABLE_FIELDS = ("id_number", "mobile", "address")
CUSTOMER_WRITERS = frozenset({Role.ARCHIVE_KEEPER, Role.CENTER_HEAD})  # R29: the keeper enters customer data


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
    _ensure_visible(actor, customer)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=customer)
    return customer


@transaction.atomic
def customer_update(*, actor, customer: Customer, version: int | None = None, **fields) -> Customer:
    """Change customer master fields; a tier change is recorded in the history.

    The row is re-read under the lock; ``version`` (the one the editor read) makes a stale edit a ``Conflict``."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("未知字段。")] for name in sorted(unknown)})
    lock(customer)
    check_version(customer, version)
    old_tier = customer.tier
    changed = sorted(k for k, v in fields.items() if getattr(customer, k) != v)
    for key, value in fields.items():
        setattr(customer, key, value)
    customer.full_clean()
    customer.version += 1
    customer.save()
    if customer.tier != old_tier:
        TierHistory.objects.create(customer=customer, from_tier=old_tier, to_tier=customer.tier,
                                   changed_on=dt.date.today(), source=TierChangeSource.MANUAL,
                                   reason=_("人工调整"))
    _ensure_visible(actor, customer)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=customer, detail={"fields": changed})
    return customer


def can_reveal(actor, customer: Customer) -> bool:
    """R28: only the responsible client manager and the head of the customer's center may unmask."""
    scope = scope_for(actor)
    if scope.has(Role.CLIENT_MANAGER) and customer.client_manager_id == actor.pk:
        return True
    return scope.has(Role.CENTER_HEAD) and scope.unit_id == customer.center_id


@transaction.atomic
def customer_reveal(*, actor, customer: Customer, field: str, reason: str) -> str:
    """Return one unmasked field, after checking the role and recording the reason in the audit log."""
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
    Customer.objects.filter(pk=customer.pk).update(tier=to_tier)
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
