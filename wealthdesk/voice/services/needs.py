"""Needs cards and the answer rule (R20, R22)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.deadlines import due_date as deadline_due
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.staff.models import User

from ..choices import AnswerRoute, NeedCategory, QuestionStatus
from ..models import ROUTE_ROLES, NeedItem, NeedsCard, NeedsQuestion

CARD_WRITERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD})


def question_due_on(asked_on: dt.date) -> dt.date:
    """R22 "the customer gets the answer within 2 weeks": the ``question.answer`` deadline of ``core.deadlines``
    (ten working days by default, ``question.due_days``) from the day the question is asked."""
    return deadline_due("question.answer", asked_on)


def _can_write_card(actor, card: NeedsCard) -> bool:
    if not scope_for(actor).has(*CARD_WRITERS):
        return False
    return NeedsCard.objects.visible_to(actor).filter(pk=card.pk).exists()


def _today() -> dt.date:
    return timezone.localdate()


def _clean_needs(needs) -> list[dict]:
    seen, out = set(), []
    for item in needs or []:
        category = item.get("category", "")
        if category not in NeedCategory.values:
            raise ValidationError({"needs": [_("需求类别“%(c)s”无效。") % {"c": category}]})
        if category in seen:
            raise ValidationError({"needs": [_("需求类别“%(c)s”重复。") % {"c": NeedCategory(category).label}]})
        detail = (item.get("detail") or "").strip()
        if len(detail) > 300:
            raise ValidationError({"needs": [_("具体需求不能超过300字。")]})
        seen.add(category)
        out.append({"category": category, "detail": detail})
    return out


@transaction.atomic
def card_create(*, actor, customer: Customer, needs, notes: str = "", card_date: dt.date | None = None,
                questions=(), source_opinion=None) -> NeedsCard:
    """Record a 《客户需求卡》 for a customer in the actor's scope (R20), with its needs and questions (R22)."""
    scope = scope_for(actor)
    if not scope.has(*CARD_WRITERS):
        raise PermissionDenied(_("您的岗位无权填写客户需求卡。"))
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationError({"customer": [_("该客户不在您的管辖范围内。")]})
    items = _clean_needs(needs)
    if not items:
        raise ValidationError({"needs": [_("请至少选择一个需求类别。")]})
    card_date = card_date or _today()
    if card_date > _today():
        raise ValidationError({"card_date": [_("填写日期不能晚于今天。")]})
    card = NeedsCard(customer=customer, center_id=customer.center_id,
                     client_manager_id=customer.client_manager_id or actor.pk, card_date=card_date,
                     notes=(notes or "").strip(), created_by=actor, source_opinion=source_opinion)
    card.full_clean()
    card.save()
    NeedItem.objects.bulk_create([NeedItem(card=card, **item) for item in items])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=card,
                 detail={"needs": [i["category"] for i in items]})
    for q in questions or ():
        # questions written on the card were asked on the card's date
        question_ask(actor=actor, card=card, **{"asked_on": card_date, **q})
    return card


def _route_target(card: NeedsCard, route: str):
    """The unit whose inbox receives a routed question: the center itself, or its branch / head office."""
    if route in (AnswerRoute.BRANCH, AnswerRoute.HEAD_OFFICE):
        kinds = (UnitKind.BRANCH2, UnitKind.BRANCH1) if route == AnswerRoute.BRANCH else (UnitKind.HEAD_OFFICE,)
        ancestors = [u for u in card.center.ancestors() if u.kind in kinds]
        if not ancestors:
            raise ValidationError({"route": [_("找不到该理财中心的上级答复机构。")]})
        return ancestors[-1]
    return card.center


def _default_assignee(card: NeedsCard, route: str, assignee):
    role = ROUTE_ROLES[route]
    if assignee is not None:
        if route not in (AnswerRoute.TEAM_LEAD, AnswerRoute.SUPERVISOR) or assignee.unit_id != card.center_id \
                or role not in assignee.role_codes:
            raise ValidationError({"assignee": [_("指定的答复人不是本中心的%(r)s。") % {"r": role.label}]})
        return assignee
    if route == AnswerRoute.TEAM_LEAD:
        team = card.client_manager.team
        if team is not None and team.lead_id:
            return team.lead
    return None


@transaction.atomic
def question_ask(*, actor, card: NeedsCard, text: str, route: str, answer: str = "",
                 asked_on: dt.date | None = None, assignee=None) -> NeedsQuestion:
    """Record a customer's question (R22). On the spot: the answer is required and written into the card's
    remarks, the question is closed. Routed: it goes to that level's inbox with a due date (``question_due_on``).

    ``asked_on`` is the day the customer asked: today unless given (a question added later to an older card is
    asked on the day it is added, so it is not born overdue); never before the card's date nor after today."""
    if not _can_write_card(actor, card):
        raise PermissionDenied(_("您无权在这张需求卡上记录问题。"))
    text, answer = (text or "").strip(), (answer or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写客户的问题。")]})
    if route not in AnswerRoute.values:
        raise ValidationError({"route": [_("请选择答复方式：当场答复，或转组长、业务主管、负责人、分行、总行。")]})
    asked_on = asked_on or _today()
    if asked_on > _today():
        raise ValidationError({"asked_on": [_("提问日期不能晚于今天。")]})
    if asked_on < card.card_date:
        raise ValidationError({"asked_on": [_("提问日期不能早于需求卡的填写日期（%(d)s）。")
                                            % {"d": f"{card.card_date:%Y-%m-%d}"}]})
    question = NeedsQuestion(card=card, center_id=card.center_id, asked_on=asked_on, text=text, route=route,
                             created_by=actor)
    if route == AnswerRoute.ON_SPOT:
        if not answer:
            raise ValidationError({"answer": [_("当场答复的问题必须填写答复内容（将写入需求卡备注）。")]})
        question.target_unit_id = card.center_id
        question.due_on = asked_on
        question.status = QuestionStatus.TOLD
        question.answer, question.answered_by, question.answered_on = answer, actor, asked_on
        question.told_on, question.told_by = asked_on, actor
        line = _("%(d)s 客户问：%(q)s；当场答复：%(a)s") % {"d": f"{asked_on:%Y-%m-%d}", "q": text, "a": answer}
        card.remarks = f"{card.remarks}\n{line}".strip()
        card.save(update_fields=["remarks", "updated_at"])
    else:
        target = _route_target(card, route)
        question.target_unit = target
        question.assignee = _default_assignee(card, route, assignee)
        if question.assignee is None and not User.objects.filter(
                unit=target, is_active=True, role_assignments__role=ROUTE_ROLES[route]).exists():
            raise ValidationError({"route": [_("%(u)s没有%(r)s岗位人员，无法转交。")
                                             % {"u": target.name, "r": ROUTE_ROLES[route].label}]})
        question.due_on = question_due_on(asked_on)
    question.full_clean()
    question.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=question, customer_id=card.customer_id,
                 unit_id=card.center_id, detail={"route": route, "due_on": f"{question.due_on:%Y-%m-%d}"})
    return question


@transaction.atomic
def question_answer(*, actor, question: NeedsQuestion, answer: str,
                    answered_on: dt.date | None = None, version: int | None = None) -> NeedsQuestion:
    """The person the question was routed to records the answer (R22)."""
    if not NeedsQuestion.objects.inbox_for(actor).filter(pk=question.pk).exists():
        raise PermissionDenied(_("这个问题没有转给您答复。"))
    lock(question)  # DESIGN rule 13: the state is checked on the row read under the lock
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("请填写答复内容。")]})
    if question.status == QuestionStatus.TOLD:
        raise ValidationError({"answer": [_("已告知客户的问题不能再修改答复。")]})
    check_version(question, version)
    answered_on = answered_on or _today()
    if answered_on < question.asked_on or answered_on > _today():
        raise ValidationError({"answered_on": [_("答复日期必须在提问日期和今天之间。")]})
    question.answer, question.answered_by, question.answered_on = answer, actor, answered_on
    question.status = QuestionStatus.ANSWERED
    question.full_clean()
    save_versioned(question, ["answer", "answered_by", "answered_on", "status"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=question, customer_id=question.card.customer_id,
                 unit_id=question.center_id, detail={"answered": True})
    return question


@transaction.atomic
def question_tell(*, actor, question: NeedsQuestion, told_on: dt.date | None = None,
                  version: int | None = None) -> NeedsQuestion:
    """The client manager records the day the customer was told the answer; this closes the question (R22)."""
    if not _can_write_card(actor, question.card):
        raise PermissionDenied(_("只有客户的客户经理或中心负责人可以记录告知客户。"))
    lock(question)
    if question.status != QuestionStatus.ANSWERED:
        raise ValidationError({"told_on": [_("问题尚未答复，不能记录已告知客户。")]})
    check_version(question, version)
    told_on = told_on or _today()
    if told_on < question.answered_on or told_on > _today():
        raise ValidationError({"told_on": [_("告知日期必须在答复日期和今天之间。")]})
    question.told_on, question.told_by, question.status = told_on, actor, QuestionStatus.TOLD
    question.full_clean()
    save_versioned(question, ["told_on", "told_by", "status"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=question, customer_id=question.card.customer_id,
                 unit_id=question.center_id, detail={"told_on": f"{told_on:%Y-%m-%d}"})
    return question
