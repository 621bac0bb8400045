"""Writes of referrals (R16, R17; DESIGN rule 2): keyword-only, atomic, validated, audited.

The customer lookup for a referral is deliberately narrow: tellers and lobby managers have no customer
reach, so ``referral_lookup`` only answers "found" with the masked name, searches only the referrer's own
center (from an ordinary outlet: the centers of the same sub-branch), is rate-limited per user and audited
without the searched value.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wealthdesk.core import ratelimit
from wealthdesk.core.audit import AuditAction, audit_many, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.deadlines import due_date as deadline_due
from wealthdesk.core.fieldcrypto import blind_index
from wealthdesk.core.masking import mask_name
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.validators import normalize_id, validate_mainland_id, validate_mobile
from wealthdesk.customers.choices import PREMIUM_TIERS, TIER_RANK
from wealthdesk.customers.models import Customer
from wealthdesk.customers.selectors import customer_by_exact_identifier
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User, client_managers_of

from .choices import (
    OPEN_STATUSES,
    AssignmentMethod,
    AssignmentRule,
    ConversionSource,
    LookupKind,
    Position,
    ReferralStatus,
    Signal,
    Urgency,
)
from .models import CenterReferralSetting, Referral

NOT_FOUND = gettext_lazy("未找到，请按新客户（潜在客户）录入")
FOLLOWERS = frozenset({Role.CLIENT_MANAGER})
POSITION_ORDER = (Role.CASH_TELLER, Role.NONCASH_TELLER, Role.LOBBY_MANAGER)


# --- who refers, where ------------------------------------------------------------------------------------

def referrer_position(actor) -> str | None:
    """The referring position (R17) the actor holds, or ``None`` if they are not a referrer."""
    scope = scope_for(actor)
    for role in POSITION_ORDER:
        if scope.has(role):
            return Position(role.value)
    return None


def referral_centers(actor):
    """Centers a referrer serves: their own center; from an ordinary outlet, the centers of the same sub-branch."""
    unit = actor.unit if actor.unit_id else None
    if unit is None:
        return OrgUnit.objects.none()
    if unit.kind == UnitKind.CENTER:
        return OrgUnit.objects.filter(pk=unit.pk)
    if unit.kind == UnitKind.OUTLET and unit.parent_id:
        return OrgUnit.objects.filter(parent_id=unit.parent_id, kind=UnitKind.CENTER, is_active=True)
    return OrgUnit.objects.none()


def _require_referrer(actor) -> str:
    position = referrer_position(actor)
    if position is None:
        raise PermissionDenied(_("只有现金柜柜员、非现金柜柜员和大堂经理可以推介客户。"))
    return position


# --- the narrow customer lookup ---------------------------------------------------------------------------

def _rate_limit(actor) -> None:
    """At most ``referral.lookup_per_minute`` lookups per user and minute, so the lookup cannot enumerate
    (core.ratelimit: atomic and shared by every worker)."""
    limit = int(get_param("referral.lookup_per_minute"))
    if not ratelimit.hit("referral-lookup", str(actor.pk), limit=limit, window=60):
        raise ValidationError({"lookup_value": [_("查询过于频繁，请一分钟后再试（每分钟最多 %(n)s 次）。") % {"n": limit}]})


def _clean_lookup(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind == LookupKind.ID_NUMBER:
        value = normalize_id(value)
        try:
            validate_mainland_id(value)
        except ValidationError as exc:
            raise ValidationError({"lookup_value": [_("请输入完整的身份证号码：") + exc.messages[0]]}) from None
    elif kind == LookupKind.MOBILE:
        try:
            validate_mobile(value)
        except ValidationError as exc:
            raise ValidationError({"lookup_value": [_("请输入完整的手机号码：") + exc.messages[0]]}) from None
    else:
        raise ValidationError({"lookup_kind": [_("查询方式只能是身份证号码或手机号。")]})
    return value


def find_customer(*, actor, kind: str, value: str) -> Customer | None:
    """The one customer of the referrer's centers with exactly this ID number or mobile, else ``None``.

    Deliberately not ``visible_to``: a referrer has no customer reach; this service answers only for the
    referral form and never returns customer fields to the caller's page. Audited as a VIEW with the kind of
    lookup only (never the searched value), rate-limited per user.
    """
    _require_referrer(actor)
    value = _clean_lookup(kind, value)
    _rate_limit(actor)
    customer = customer_by_exact_identifier(
        centers=referral_centers(actor),
        id_number=value if kind == LookupKind.ID_NUMBER else "", mobile=value if kind == LookupKind.MOBILE else "")
    audit_record(actor=actor, action=AuditAction.VIEW, obj=customer, unit_id=actor.unit_id,
                 detail={"lookup": str(kind), "found": customer is not None})
    return customer


def referral_lookup(*, actor, kind: str, value: str) -> dict:
    """The lookup as the referrer sees it: ``found`` and the masked name, or the prospect hint. Nothing else."""
    customer = find_customer(actor=actor, kind=kind, value=value)
    if customer is None:
        return {"found": False, "masked_name": "", "message": str(NOT_FOUND)}
    return {"found": True, "masked_name": mask_name(customer.name), "message": _("已找到客户：%(name)s") % {
        "name": mask_name(customer.name)}}


# --- assignment -------------------------------------------------------------------------------------------

def center_setting(center: OrgUnit) -> CenterReferralSetting:
    setting, _created = CenterReferralSetting.objects.get_or_create(center=center)
    return setting


def _by_rule(center: OrgUnit) -> tuple[User, str]:
    """Round robin among the center's client managers, or the least loaded one (per-center setting)."""
    managers = list(client_managers_of(center.pk).order_by("id").distinct())
    if not managers:
        raise ValidationError({"assign_to": [_("%(center)s 没有可分配的客户经理，请联系理财中心负责人。") % {
            "center": center.name}]})
    setting = CenterReferralSetting.objects.select_for_update().filter(center=center).first() \
        or center_setting(center)
    if setting.rule == AssignmentRule.LEAST_LOADED:
        load = dict(Referral.objects.filter(assigned_to__in=managers, status__in=OPEN_STATUSES)
                    .values("assigned_to").annotate(n=Count("id")).values_list("assigned_to", "n"))
        chosen = min(managers, key=lambda m: (load.get(m.pk, 0), m.pk))
        return chosen, AssignmentMethod.LEAST_LOADED
    last = setting.last_assigned_id or 0
    chosen = next((m for m in managers if m.pk > last), managers[0])
    setting.last_assigned = chosen
    setting.save(update_fields=["last_assigned", "updated_at"])
    return chosen, AssignmentMethod.ROUND_ROBIN


def _responsible(customer: Customer | None) -> User | None:
    if customer is None or not customer.client_manager_id:
        return None
    cm = User.objects.filter(pk=customer.client_manager_id, is_active=True,
                             role_assignments__role=Role.CLIENT_MANAGER).first()
    return cm


def _check_pick(assign_to, centers) -> User | None:
    if assign_to in (None, ""):
        return None
    pk = assign_to.pk if isinstance(assign_to, User) else assign_to
    picked = User.objects.filter(pk=pk, is_active=True, role_assignments__role=Role.CLIENT_MANAGER,
                                 unit__in=centers).select_related("unit").first()
    if picked is None:
        raise ValidationError({"assign_to": [_("只能指定本理财中心的客户经理。")]})
    return picked


# --- create -----------------------------------------------------------------------------------------------

def _duplicate_of(*, customer, prospect_mobile, center, since) -> Referral | None:
    qs = Referral.objects.filter(status__in=OPEN_STATUSES, referred_on__gte=since)
    if customer is not None:
        qs = qs.filter(customer=customer)
    else:
        qs = qs.filter(customer__isnull=True, center=center,
                       prospect_mobile_bidx=blind_index("mobile", prospect_mobile))
    return qs.select_related("assigned_to").order_by("-referred_on", "-id").first()


@transaction.atomic
def referral_create(*, actor, signal: str, lookup_kind: str = "", lookup_value: str = "", prospect_name: str = "",
                    prospect_mobile: str = "", need: str = "", urgency: str = Urgency.NORMAL,
                    needs_follow_up: bool = True, assign_to=None, confirm_duplicate: bool = False,
                    referred_on: dt.date | None = None) -> Referral:
    """Record a referral at the counter (R16 《推介优质客户信息记录表》) and assign it.

    The customer is found by exact ID number or mobile among the referrer's centers; otherwise a prospect
    (name + mobile) is entered. Assignment (R3 one-to-one service first): the customer's responsible client
    manager; else the one the referrer picked (same center only); else the center's rule. The follow-up is due
    ``referral.due_working_days`` working days later. The same customer referred again within
    ``referral.duplicate_days`` while a referral is open is refused with a warning naming it, unless confirmed.
    """
    position = _require_referrer(actor)
    centers = list(referral_centers(actor))
    if not centers:
        raise ValidationError({"__all__": [_("您所在机构不是理财中心或普通网点，无法推介客户。")]})
    errors: dict[str, list] = {}
    if signal not in Signal.values:
        errors["signal"] = [_("请选择发现的情况。")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("紧急程度只能是一般或紧急。")]
    prospect_name = (prospect_name or "").strip()
    prospect_mobile = (prospect_mobile or "").strip()
    customer = None
    if lookup_value:
        customer = find_customer(actor=actor, kind=lookup_kind, value=lookup_value)
        if customer is None:
            if not prospect_name:
                errors["lookup_value"] = [str(NOT_FOUND)]
            elif lookup_kind == LookupKind.MOBILE and not prospect_mobile:
                prospect_mobile = lookup_value.strip()
    if customer is None and "lookup_value" not in errors:
        if not prospect_name:
            errors["prospect_name"] = [_("请输入客户的身份证号码或手机号查找；新客户请填写姓名。")]
        if not prospect_mobile:
            errors["prospect_mobile"] = [_("新客户（潜在客户）请填写手机号。")]
        else:
            try:
                validate_mobile(prospect_mobile)
            except ValidationError as exc:
                errors["prospect_mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    picked = _check_pick(assign_to, centers)
    if customer is not None:
        center = OrgUnit.objects.get(pk=customer.center_id)
        if picked is not None and picked.unit_id != center.pk:
            raise ValidationError({"assign_to": [_("只能指定客户所在理财中心的客户经理。")]})
    else:
        center = picked.unit if picked is not None else centers[0]
    today = referred_on or timezone.localdate()
    since = today - dt.timedelta(days=int(get_param("referral.duplicate_days")))
    duplicate = _duplicate_of(customer=customer, prospect_mobile=prospect_mobile, center=center, since=since)
    if duplicate is not None and not confirm_duplicate:
        raise ValidationError({"confirm_duplicate": [
            _("该客户已于 %(day)s 被推介（推介编号 %(id)s，%(status)s，跟进人 %(cm)s），尚在跟进中。"
              "如确需再次推介，请勾选“仍要推介”。") % {
                "day": f"{duplicate.referred_on:%Y-%m-%d}", "id": duplicate.pk,
                "status": duplicate.get_status_display(), "cm": duplicate.assigned_to}]})
    responsible = _responsible(customer)
    if responsible is not None:
        assignee, method = responsible, AssignmentMethod.RESPONSIBLE
    elif picked is not None:
        assignee, method = picked, AssignmentMethod.PICKED
    else:
        assignee, method = _by_rule(center)
    referral = Referral(
        referrer=actor, referrer_position=position, referrer_unit_id=actor.unit_id, center=center, customer=customer,
        customer_label=mask_name(customer.name) if customer else prospect_name[:60],
        prospect_name="" if customer else prospect_name, prospect_mobile="" if customer else prospect_mobile,
        signal=signal, need=(need or "").strip()[:300], urgency=urgency, needs_follow_up=bool(needs_follow_up),
        assigned_to=assignee, assignment_method=method, referred_on=today,
        due_on=deadline_due("referral.follow_up", today),
        tier_at_referral=customer.tier if customer else "", aum_at_referral=customer.aum if customer else None,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=referral, unit_id=center.pk,
                 detail={"method": str(method), "prospect": customer is None})
    return referral


# --- follow-up by the client manager ----------------------------------------------------------------------

def _require_assignee(actor, referral: Referral, version=None) -> None:
    """Every follow-up transition: re-read the referral under the row lock, then check who, the state and the
    version the caller read (DESIGN rule 13)."""
    lock(referral)
    if not scope_for(actor).has(*FOLLOWERS) or referral.assigned_to_id != actor.pk:
        raise PermissionDenied(_("只有被分配的客户经理可以跟进此推介。"))
    if not referral.is_open:
        raise ValidationError({"status": [_("该推介已办结（%(status)s），不能再修改。") % {
            "status": referral.get_status_display()}]})
    check_version(referral, version)


def _save(actor, referral: Referral, fields: list[str], detail: dict) -> Referral:
    referral.full_clean()
    save_versioned(referral, fields)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=referral, unit_id=referral.center_id, detail=detail)
    return referral


@transaction.atomic
def referral_accept(*, actor, referral: Referral, version: int | None = None) -> Referral:
    """The assigned client manager accepts the referral (R16)."""
    _require_assignee(actor, referral, version)
    if referral.status != ReferralStatus.NEW:
        raise ValidationError({"status": [_("该推介已接收。")]})
    referral.status = ReferralStatus.ACCEPTED
    referral.accepted_at = timezone.now()
    return _save(actor, referral, ["status", "accepted_at"], {"status": "accepted"})


@transaction.atomic
def referral_record_contact(*, actor, referral: Referral, kind: str, content: str, response: str = "",
                            next_step: str = "", contacted_at: dt.datetime | None = None,
                            version: int | None = None) -> Referral:
    """Record the contact with the referred customer. For a known customer within the manager's scope the
    contact goes into the contact records (R27, ``contacts.services.contact_create`` with
    ``source="referral:<id>"``); for a prospect the note stays on the referral."""
    _require_assignee(actor, referral, version)
    content = (content or "").strip()
    if len(content) < 2:
        raise ValidationError({"content": [_("请填写联系内容（至少2个字）。")]})
    now = timezone.now()
    contacted_at = contacted_at or now
    if contacted_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"contacted_at": [_("联系时间不能晚于当前时间。")]})
    if referral.customer_id and Customer.objects.visible_to(actor).filter(pk=referral.customer_id).exists():
        try:
            from wealthdesk.contacts.services import contact_create
        except ImportError:  # pragma: no cover - the contacts app is optional
            contact_create = None
        if contact_create is not None:
            record = contact_create(actor=actor, customer=referral.customer, kind=kind, contacted_at=contacted_at,
                                    purpose=_("推介跟进"), content=content, response=response or "",
                                    next_step=next_step or "", source=f"referral:{referral.pk}")
            referral.contact_ref = str(record.pk)
    if referral.status == ReferralStatus.NEW:
        referral.accepted_at = now
    referral.status = ReferralStatus.CONTACTED
    referral.contacted_at = contacted_at
    referral.contact_note = "\n".join(x for x in (content, response, next_step) if x)[:2000]
    return _save(actor, referral, ["status", "accepted_at", "contacted_at", "contact_note", "contact_ref"],
                 {"status": "contacted", "kind": kind})


def parse_amount(value) -> Decimal:
    """A conversion amount in yuan: a number, not negative, not absurd (``referral.max_conversion_amount``)."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": [_("带来资产应为数字（元）。")]}) from None
    if not amount.is_finite():
        raise ValidationError({"amount": [_("带来资产应为数字（元）。")]})
    if amount < 0:
        raise ValidationError({"amount": [_("带来资产不能为负数。")]})
    ceiling = Decimal(str(get_param("referral.max_conversion_amount")))
    if amount > ceiling:
        raise ValidationError({"amount": [_("带来资产超过 %(max)s 元，数额不合理，请核对。") % {"max": f"{ceiling:,.0f}"}]})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def referral_convert(*, actor, referral: Referral, amount, converted_on: dt.date | None = None,
                     version: int | None = None) -> Referral:
    """The manager records a conversion with the assets brought in (R17 quality), when the loaded balances
    have not shown it (or for a prospect, who converts only this way)."""
    _require_assignee(actor, referral, version)
    amount = parse_amount(amount)
    referral.status = ReferralStatus.CONVERTED
    referral.converted_on = converted_on or timezone.localdate()
    referral.conversion_source = ConversionSource.MANUAL
    referral.conversion_amount = amount
    referral.closed_at = timezone.now()
    if referral.accepted_at is None:
        referral.accepted_at = referral.closed_at
    return _save(actor, referral, ["status", "converted_on", "conversion_source", "conversion_amount", "closed_at",
                                   "accepted_at"], {"status": "converted", "amount": str(amount)})


@transaction.atomic
def referral_mark_invalid(*, actor, referral: Referral, reason: str, version: int | None = None) -> Referral:
    """Reject a referral as invalid, with the reason (counted as invalid in R17 statistics)."""
    _require_assignee(actor, referral, version)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("请填写无效原因（至少2个字）。")]})
    referral.status = ReferralStatus.INVALID
    referral.invalid_reason = reason[:200]
    referral.closed_at = timezone.now()
    return _save(actor, referral, ["status", "invalid_reason", "closed_at"], {"status": "invalid"})


@transaction.atomic
def referral_reveal_prospect_mobile(*, actor, referral: Referral) -> str:
    """The assigned client manager needs the prospect's mobile to call; revealing it is audited (R28)."""
    if referral.assigned_to_id != actor.pk or not referral.prospect_mobile:
        raise PermissionDenied(_("只有被分配的客户经理可以查看潜在客户手机号明文。"))
    audit_record(actor=actor, action=AuditAction.REVEAL, obj=referral, unit_id=referral.center_id,
                 detail={"field": "prospect_mobile"})
    return referral.prospect_mobile


@transaction.atomic
def center_rule_update(*, actor, center: OrgUnit, rule: str) -> CenterReferralSetting:
    """The center head sets the center's assignment rule (round robin or least loaded)."""
    scope = scope_for(actor)
    if not scope.has(Role.CENTER_HEAD) or scope.unit_id != center.pk:
        raise PermissionDenied(_("只有本理财中心负责人可以修改分配规则。"))
    if rule not in AssignmentRule.values:
        raise ValidationError({"rule": [_("分配规则只能是轮流分配或分配给在办最少者。")]})
    setting = center_setting(center)
    setting.rule = rule
    setting.full_clean()
    setting.save(update_fields=["rule", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=setting, unit_id=center.pk, detail={"rule": rule})
    return setting


# --- conversion from loaded balances (set-based) ----------------------------------------------------------

def _rank_case(field: str):
    from django.db.models import Case, IntegerField, Value, When

    return Case(*[When(**{field: tier}, then=Value(rank)) for tier, rank in TIER_RANK.items()],
                default=Value(0), output_field=IntegerField())


@transaction.atomic
def referrals_update_conversions(*, as_of: dt.date, actor=None) -> dict[str, int]:
    """Mark open referrals converted from the loaded balances (R17 quality), set-based.

    Within ``referral.conversion_days`` of the referral, a referred customer converts when their tier rose to
    a premium tier above the one snapshotted, or their AUM (loaded on or after the referral day) grew by at
    least ``referral.conversion_amount`` yuan. The amount brought in is the AUM growth (0 if it did not grow).
    """
    window = int(get_param("referral.conversion_days"))
    threshold = Decimal(str(get_param("referral.conversion_amount")))
    candidates = Referral.objects.filter(status__in=OPEN_STATUSES, customer__isnull=False,
                                         referred_on__gte=as_of - dt.timedelta(days=window), referred_on__lte=as_of)
    aum_now = Subquery(Customer.objects.filter(pk=OuterRef("customer_id")).values("aum")[:1])
    by_aum = candidates.filter(aum_at_referral__isnull=False, customer__aum_as_of__gte=F("referred_on"),
                               customer__aum__gte=F("aum_at_referral") + threshold)
    by_tier = candidates.annotate(rank_now=_rank_case("customer__tier"), rank_then=_rank_case("tier_at_referral")) \
        .filter(customer__tier__in=PREMIUM_TIERS, rank_now__gt=F("rank_then"))
    aum_ids = set(by_aum.values_list("id", flat=True))
    tier_ids = set(by_tier.values_list("id", flat=True)) - aum_ids
    now = timezone.now()
    common = {"status": ReferralStatus.CONVERTED, "converted_on": as_of, "closed_at": now, "updated_at": now,
              "version": F("version") + 1}
    # The UPDATE re-checks the state: a referral closed by its manager meanwhile is not overwritten (rule 13).
    still_open = Referral.objects.filter(status__in=OPEN_STATUSES)
    if aum_ids:
        aum_ids = set(still_open.filter(pk__in=aum_ids).select_for_update().values_list("id", flat=True))
        still_open.filter(pk__in=aum_ids).update(
            conversion_source=ConversionSource.AUM, conversion_amount=aum_now - F("aum_at_referral"), **common)
    if tier_ids:
        tier_ids = set(still_open.filter(pk__in=tier_ids).select_for_update().values_list("id", flat=True))
        Referral.objects.filter(pk__in=tier_ids).update(conversion_source=ConversionSource.TIER, **common)
        Referral.objects.filter(pk__in=tier_ids, aum_at_referral__isnull=False).update(
            conversion_amount=aum_now - F("aum_at_referral"))
        Referral.objects.filter(pk__in=tier_ids).filter(Q(conversion_amount__lt=0) | Q(conversion_amount__isnull=True)) \
            .update(conversion_amount=Decimal("0"))
    converted = Referral.objects.filter(pk__in=aum_ids | tier_ids).only("id", "customer_id", "center_id")
    audit_many(actor=actor, action=AuditAction.CHANGE, objects=converted,
               detail={"status": "converted", "as_of": f"{as_of:%Y-%m-%d}"})
    return {"aum": len(aum_ids), "tier": len(tier_ids)}
