"""Surveys (R21): head office, a branch or a center head builds them; client managers record answers."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.models import Customer

from ..choices import SurveyQuestionKind, SurveyStatus
from ..models import Survey, SurveyQuestion, SurveyResponse
from .needs import CARD_WRITERS

SURVEY_BUILDERS = frozenset({Role.HQ_SERVICE, Role.BRANCH_SERVICE, Role.CENTER_HEAD})
CHOICE_KINDS = (SurveyQuestionKind.SINGLE, SurveyQuestionKind.MULTIPLE)
MAX_TEXT_ANSWER = 1000


def _check_builder(actor, survey: Survey | None = None) -> None:
    scope = scope_for(actor)
    if not scope.has(*SURVEY_BUILDERS):
        raise PermissionDenied(_("只有总行、分行客户服务人员和理财中心负责人可以设计调研表。"))
    if survey is not None and survey.owner_unit_id != scope.unit_id:
        raise PermissionDenied(_("只有发起机构可以修改这份调研表。"))


@transaction.atomic
def survey_create(*, actor, title: str, description: str = "", questions=()) -> Survey:
    """Start a survey owned by the actor's unit (a draft until published)."""
    _check_builder(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写调研主题。")]})
    survey = Survey(title=title, description=(description or "").strip(), owner_unit_id=actor.unit_id,
                    created_by=actor)
    survey.full_clean()
    survey.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=survey, unit_id=actor.unit_id)
    for q in questions or ():
        survey_add_question(actor=actor, survey=survey, **q)
    return survey


def _clean_options(kind: str, options) -> list[str]:
    if kind not in CHOICE_KINDS:
        return []
    if isinstance(options, str):
        options = options.splitlines()
    cleaned = [str(o).strip() for o in (options or []) if str(o).strip()]
    if len(cleaned) < 2:
        raise ValidationError({"options": [_("单选题和多选题至少需要两个选项（每行一个）。")]})
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"options": [_("选项不能重复。")]})
    if len(cleaned) > 20 or any(len(o) > 100 for o in cleaned):
        raise ValidationError({"options": [_("最多20个选项，每个选项不超过100字。")]})
    return cleaned


@transaction.atomic
def survey_add_question(*, actor, survey: Survey, kind: str, text: str, options=None,
                        required: bool = True) -> SurveyQuestion:
    """Add a question: single or multiple choice (with options), 1–5 scale, or text. Drafts only."""
    _check_builder(actor, survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError({"kind": [_("调研表已发布，不能再增加题目。")]})
    if kind not in SurveyQuestionKind.values:
        raise ValidationError({"kind": [_("题型必须是单选、多选、1–5分评分或文字。")]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("请填写题目。")]})
    position = survey.questions.count() + 1
    question = SurveyQuestion(survey=survey, position=position, kind=kind, text=text,
                              options=_clean_options(kind, options), required=bool(required))
    question.full_clean()
    question.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=survey, unit_id=survey.owner_unit_id,
                 detail={"question_added": position})
    return question


@transaction.atomic
def survey_publish(*, actor, survey: Survey, ends_on: dt.date | None = None) -> Survey:
    """Open the survey to the units below (it needs at least one question)."""
    _check_builder(actor, survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError({"status": [_("只有草稿可以发布。")]})
    if not survey.questions.exists():
        raise ValidationError({"status": [_("调研表至少需要一道题目才能发布。")]})
    today = timezone.localdate()
    if ends_on is not None and ends_on < today:
        raise ValidationError({"ends_on": [_("结束日期不能早于今天。")]})
    survey.status, survey.starts_on, survey.ends_on = SurveyStatus.OPEN, today, ends_on
    survey.full_clean()
    survey.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=survey, unit_id=survey.owner_unit_id,
                 detail={"status": "open"})
    return survey


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    _check_builder(actor, survey)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError({"status": [_("只有进行中的调研可以结束。")]})
    survey.status = SurveyStatus.CLOSED
    survey.ends_on = survey.ends_on or timezone.localdate()
    survey.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=survey, unit_id=survey.owner_unit_id,
                 detail={"status": "closed"})
    return survey


def _answer_error(question: SurveyQuestion, reason: str) -> ValidationError:
    label = _("第%(n)s题「%(t)s」") % {"n": question.position, "t": question.text}
    return ValidationError({f"q_{question.pk}": [f"{label}：{reason}"]})


def clean_answer(question: SurveyQuestion, value):
    """Check one answer against its question type; returns the stored value or ``None`` if left empty."""
    empty = value is None or value == "" or value == []
    if empty:
        if question.required:
            raise _answer_error(question, _("必答题，请作答。"))
        return None
    kind = question.kind
    if kind == SurveyQuestionKind.SINGLE:
        if not isinstance(value, str) or value not in question.options:
            raise _answer_error(question, _("单选题只能选择一个给定的选项。"))
        return value
    if kind == SurveyQuestionKind.MULTIPLE:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _answer_error(question, _("多选题的答案必须是选项列表。"))
        if any(v not in question.options for v in value) or len(set(value)) != len(value):
            raise _answer_error(question, _("多选题只能选择给定的选项，且不能重复。"))
        return [o for o in question.options if o in value]
    if kind == SurveyQuestionKind.SCALE:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise _answer_error(question, _("评分题请选择1到5之间的整数。"))
        return value
    if not isinstance(value, str):
        raise _answer_error(question, _("文字题的答案必须是文字。"))
    value = value.strip()
    if len(value) > MAX_TEXT_ANSWER:
        raise _answer_error(question, _("文字答案不能超过1000字。"))
    if not value and question.required:
        raise _answer_error(question, _("必答题，请作答。"))
    return value or None


@transaction.atomic
def response_record(*, actor, survey: Survey, customer: Customer, answers: dict,
                    responded_on: dt.date | None = None) -> SurveyResponse:
    """A client manager records one customer's answers (R21); every answer is checked against its question type
    and nothing is saved when one is wrong."""
    if not scope_for(actor).has(*CARD_WRITERS):
        raise PermissionDenied(_("只有客户经理、组长和中心负责人可以录入调研答卷。"))
    if not Survey.objects.visible_to(actor).filter(pk=survey.pk).exists():
        raise PermissionDenied(_("这份调研表不面向您的机构。"))
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError({"survey": [_("调研未在进行中，不能录入答卷。")]})
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationError({"customer": [_("该客户不在您的管辖范围内。")]})
    if SurveyResponse.objects.filter(survey=survey, customer=customer).exists():
        raise ValidationError({"customer": [_("该客户已填写过这份调研。")]})
    responded_on = responded_on or timezone.localdate()
    if responded_on > timezone.localdate():
        raise ValidationError({"responded_on": [_("调研日期不能晚于今天。")]})
    if not isinstance(answers, dict):
        raise ValidationError({"answers": [_("答案格式应为「题目编号: 答案」。")]})
    questions = {str(q.pk): q for q in survey.questions.all()}
    unknown = sorted(set(map(str, answers)) - set(questions))
    if unknown:
        raise ValidationError({"answers": [_("未知题目编号：%(ids)s。") % {"ids": "、".join(unknown)}]})
    given = {str(k): v for k, v in answers.items()}
    stored = {}
    for qid, question in questions.items():
        value = clean_answer(question, given.get(qid))
        if value is not None:
            stored[qid] = value
    response = SurveyResponse(survey=survey, customer=customer, center_id=customer.center_id,
                              client_manager_id=customer.client_manager_id or actor.pk, responded_on=responded_on,
                              answers=stored, created_by=actor)
    response.full_clean()
    response.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=response, detail={"survey": survey.pk})
    return response
