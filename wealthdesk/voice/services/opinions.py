"""The opinion book (R23): a public page per outlet; entries land in the center's inbox, where the head assigns
them, turns them into a needs card or a complaint, or closes them."""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core import ratelimit
from wealthdesk.core.audit import AuditAction, audit_context, audit_record, current_context
from wealthdesk.core.concurrency import lock
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from ..choices import NeedCategory, OpinionKind, OpinionStatus, ServicePosition
from ..models import Opinion
from .needs import card_create

OPINION_HANDLERS = frozenset({Role.CENTER_HEAD})
MAX_NAME, MAX_CONTACT = 40, 60


def inbox_center(unit: OrgUnit) -> OrgUnit | None:
    """The center whose inbox receives a unit's opinion book: the center itself, or for an ordinary outlet the
    first active center of the same sub-branch."""
    if unit.kind == UnitKind.CENTER:
        return unit
    if unit.kind == UnitKind.OUTLET and unit.parent_id:
        return OrgUnit.objects.filter(parent_id=unit.parent_id, kind=UnitKind.CENTER, is_active=True) \
            .order_by("code").first()
    return None


def _rate_key(ip: str | None) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip or 'unknown'}".encode()).hexdigest()[:32]


def rate_limited(ip: str | None) -> bool:
    """True when this address already posted ``opinion.rate_limit`` entries in the current window."""
    return ratelimit.peek("opinion", _rate_key(ip), window=int(get_param("opinion.rate_window_seconds"))) \
        >= int(get_param("opinion.rate_limit"))


def _count_post(ip: str | None) -> bool:
    """Count this post atomically (shared by every worker, core.ratelimit); False past the limit."""
    return ratelimit.hit("opinion", _rate_key(ip), limit=int(get_param("opinion.rate_limit")),
                         window=int(get_param("opinion.rate_window_seconds")))


@transaction.atomic
def opinion_post(*, unit: OrgUnit, content: str, kind: str = OpinionKind.OPINION, name: str = "",
                 contact: str = "", rating=None, ip: str | None = None, product_line: str = "",
                 position: str = "") -> Opinion:
    """A customer leaves an opinion or need without login (R23). Size-limited, rate-limited per address (only a
    salted hash of the address is kept, in the rate counter, for the window); name and contact only if given."""
    if not _count_post(ip):
        minutes = max(1, int(get_param("opinion.rate_window_seconds")) // 60)
        raise ValidationError({"__all__": [_("提交过于频繁，请%(m)s分钟后再试。") % {"m": minutes}]})
    center = inbox_center(unit)
    if center is None or not unit.is_active:
        raise ValidationError({"unit": [_("该网点没有开通意见簿。")]})
    content = (content or "").strip()
    max_chars = int(get_param("opinion.max_chars"))
    errors = {}
    if len(content) < 5:
        errors["content"] = [_("请至少写5个字。")]
    elif len(content) > max_chars:
        errors["content"] = [_("内容不能超过%(n)s字（现在%(m)s字）。") % {"n": max_chars, "m": len(content)}]
    name, contact = (name or "").strip(), (contact or "").strip()
    if len(name) > MAX_NAME:
        errors["name"] = [_("称呼不能超过%(n)s字。") % {"n": MAX_NAME}]
    if len(contact) > MAX_CONTACT:
        errors["contact"] = [_("联系方式不能超过%(n)s字。") % {"n": MAX_CONTACT}]
    if kind not in OpinionKind.values:
        errors["kind"] = [_("请选择留言类型。")]
    if rating not in (None, ""):
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            errors["rating"] = [_("服务评分请选择1到5分。")]
    else:
        rating = None
    if product_line and product_line not in NeedCategory.values:
        errors["product_line"] = [_("请从列表中选择业务类别。")]
    if position and position not in ServicePosition.values:
        errors["position"] = [_("请从列表中选择柜台或岗位。")]
    if errors:
        raise ValidationError(errors)
    opinion = Opinion(unit=unit, center=center, kind=kind, content=content, name=name, contact=contact,
                      rating=rating, product_line=product_line or "", position=position or "")
    opinion.full_clean()
    opinion.save()
    # The audit row must not keep the customer's address either: write it without the request's IP.
    with audit_context(ip=None, request_id=current_context().request_id, source="public"):
        audit_record(actor=None, action=AuditAction.CREATE, obj=opinion, unit_id=center.pk,
                     detail={"public": True, "kind": kind})
    return opinion


def _check_handler(actor, opinion: Opinion) -> None:
    scope = scope_for(actor)
    if not scope.has(*OPINION_HANDLERS) or not Opinion.objects.visible_to(actor).filter(pk=opinion.pk).exists():
        raise PermissionDenied(_("只有理财中心负责人可以分派和转办意见簿留言。"))


def _check_open(opinion: Opinion) -> None:
    """Re-read the entry under the row lock, then check it is still open (DESIGN rule 13); the version moves on."""
    lock(opinion)
    if opinion.status in (OpinionStatus.CARDED, OpinionStatus.COMPLAINT, OpinionStatus.CLOSED):
        raise ValidationError({"status": [_("这条留言已处理完毕。")]})
    opinion.version += 1


@transaction.atomic
def opinion_assign(*, actor, opinion: Opinion, assignee: User, note: str = "") -> Opinion:
    """The head hands an entry to a colleague of the center."""
    _check_handler(actor, opinion)
    _check_open(opinion)
    if assignee is None or assignee.unit_id != opinion.center_id or not assignee.is_active:
        raise ValidationError({"assignee": [_("请选择本理财中心的在职员工。")]})
    opinion.assignee, opinion.status = assignee, OpinionStatus.ASSIGNED
    opinion.handling_note = (note or "").strip()[:1000]
    opinion.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=opinion, detail={"assignee": assignee.pk})
    return opinion


@transaction.atomic
def opinion_close(*, actor, opinion: Opinion, note: str) -> Opinion:
    """The head or the assignee closes an entry with a note on what was done."""
    _check_open(opinion)
    if opinion.assignee_id != actor.pk:
        _check_handler(actor, opinion)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写处理说明。")]})
    opinion.status, opinion.handling_note, opinion.handled_at = OpinionStatus.CLOSED, note[:1000], timezone.now()
    opinion.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=opinion, detail={"status": "closed"})
    return opinion


@transaction.atomic
def opinion_to_card(*, actor, opinion: Opinion, customer, category: str = NeedCategory.OTHER):
    """Turn an entry into a needs card of a known customer (R20)."""
    _check_handler(actor, opinion)
    _check_open(opinion)
    if customer is None:
        raise ValidationError({"customer": [_("请选择客户。")]})
    card = card_create(actor=actor, customer=customer, needs=[{"category": category,
                                                                "detail": opinion.content[:300]}],
                       notes=_("来自意见簿留言：%(c)s") % {"c": opinion.content}, source_opinion=opinion)
    opinion.status, opinion.needs_card, opinion.handled_at = OpinionStatus.CARDED, card, timezone.now()
    opinion.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=opinion, detail={"needs_card": card.pk})
    return card


@transaction.atomic
def opinion_to_complaint(*, actor, opinion: Opinion, category: str = "other"):
    """Turn an entry into a complaint (R30) through the complaints app's service."""
    _check_handler(actor, opinion)
    _check_open(opinion)
    try:
        from wealthdesk.complaints.services import complaint_create
    except ImportError:
        raise ValidationError({"status": [_("投诉模块暂不可用，请稍后再试。")]}) from None
    complaint = complaint_create(actor=actor, center=opinion.center, channel="online", category=category,
                                 content=opinion.content, complainant_name=opinion.name,
                                 complainant_contact=opinion.contact, receiver=actor,
                                 source=f"opinion:{opinion.pk}")
    opinion.status, opinion.complaint_ref, opinion.handled_at = OpinionStatus.COMPLAINT, complaint.pk, timezone.now()
    opinion.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=opinion, detail={"complaint": complaint.pk})
    return complaint
