"""State changes of the expert pool and of consultations (R4). Every transition locks its row
(``core.concurrency.lock``), checks the state on what it read, writes one audit row and notifies on commit."""
from __future__ import annotations

import datetime as dt
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.deadlines import due_date
from wealthdesk.core.notifications import notify
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind

from .attachments import check_upload
from .choices import BookingStatus, ConsultationStatus, ExpertKind, Level, MessageKind, Specialty, Urgency, Usage
from .models import (
    KEEPER_ROLES,
    AvailabilitySlot,
    Consultation,
    ConsultationAttachment,
    ConsultationMessage,
    ExpertBooking,
    PoolMember,
)
from .summary import anonymise, build_summary

LEVEL_KINDS = {Level.SUBBRANCH: (UnitKind.SUBBRANCH,), Level.BRANCH: (UnitKind.BRANCH2, UnitKind.BRANCH1),
               Level.HEAD_OFFICE: (UnitKind.HEAD_OFFICE,)}
ASKER_ROLES = frozenset({Role.CLIENT_MANAGER})


def level_of(unit) -> str | None:
    for level, kinds in LEVEL_KINDS.items():
        if unit.kind in kinds:
            return level
    return None


def queue_unit_for(center, level: str):
    """The unit whose pool answers a consultation of ``center`` at ``level``: the nearest ancestor of that kind."""
    kinds = LEVEL_KINDS[level]
    for unit in reversed(list(center.ancestors())):
        if unit.kind in kinds:
            return unit
    return None


def _err(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


NOT_OWN_CUSTOMER = _lazy("客户：只能为本人名下的客户申请专家咨询，该客户不在您的客户名单中。")


def _audit_refusal(actor, what: str, obj, exc) -> None:
    from wealthdesk.core.access_audit import audit_access

    messages = getattr(exc, "messages", None) or [str(exc)]
    audit_access(actor=actor, action=AuditAction.DENIED, result="refused", what=what,
                 object_type=obj._meta.label_lower if obj is not None else "",
                 object_id=str(getattr(obj, "pk", "") or ""), reasons=[str(m)[:200] for m in messages[:3]])


def refusals_audited(fn):
    """Every refused state change (bad input, wrong person, wrong state) leaves an audit row, written outside the
    service's rolled-back transaction."""

    @functools.wraps(fn)
    def wrapper(*, actor, **kwargs):
        try:
            return fn(actor=actor, **kwargs)
        except (ValidationError, PermissionDenied) as exc:
            obj = kwargs.get("consultation") or kwargs.get("member") or kwargs.get("customer")
            _audit_refusal(actor, fn.__name__, obj, exc)
            raise

    return wrapper


# --- the pool (kept by head office and the branches) ------------------------------------------------------------

def can_keep(user, unit) -> bool:
    scope = scope_for(user)
    return scope.has(*KEEPER_ROLES) and bool(scope.unit_path) and unit.path.startswith(scope.unit_path)


def _check_specialties(specialties) -> list[str]:
    values = list(dict.fromkeys(specialties or []))
    if not values:
        raise _err("specialties", _("专业领域：请至少选择一项。"))
    bad = [v for v in values if v not in Specialty.values]
    if bad:
        raise _err("specialties", _("专业领域：没有“%(v)s”这一项。") % {"v": str(bad[0])[:20]})
    return values


@refusals_audited
@transaction.atomic
def member_add(*, actor, user, kind: str, unit, specialties, company: str = "", title: str = "",
               engaged_from: dt.date | None = None, engagement_ends_on: dt.date | None = None) -> PoolMember:
    """Head office or a branch adds an advisor or expert serving a sub-branch, branch or head office of its subtree."""
    if not can_keep(actor, unit):
        raise PermissionDenied(_("只有总行和分行客户服务部门可以维护本辖区的专家库。"))
    level = level_of(unit)
    if level is None:
        raise _err("unit", _("服务机构：只能是支行、分行或总行。"))
    role = Role.FINANCIAL_ADVISOR if kind == ExpertKind.ADVISOR else Role.FINANCIAL_EXPERT
    if kind not in ExpertKind.values:
        raise _err("kind", _("类别：请选择理财顾问或理财专家。"))
    if not user.role_assignments.filter(role=role).exists():
        raise _err("user", _("人员：该员工没有“%(role)s”岗位。") % {"role": Role(role).label})
    if PoolMember.objects.filter(user=user).exists():
        raise _err("user", _("人员：该员工已在专家库中。"))
    if kind == ExpertKind.ADVISOR and not company.strip():
        raise _err("company", _("所属公司：外部理财顾问须填写所属公司。"))
    if kind == ExpertKind.ADVISOR and engagement_ends_on is None:
        raise _err("engagement_ends_on", _("聘用结束日期：外部理财顾问须填写聘用结束日期。"))
    if engaged_from and engagement_ends_on and engagement_ends_on < engaged_from:
        raise _err("engagement_ends_on", _("聘用结束日期：不能早于聘用开始日期。"))
    member = PoolMember(user=user, kind=kind, unit=unit, level=level, company=company.strip(), title=title.strip(),
                        specialties=_check_specialties(specialties), engaged_from=engaged_from,
                        engagement_ends_on=engagement_ends_on, created_by=actor)
    member.full_clean()
    member.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=member, unit_id=unit.pk,
                 detail={"kind": kind, "level": level, "specialties": member.specialties})
    return member


@refusals_audited
@transaction.atomic
def member_update(*, actor, member: PoolMember, version=None, specialties=None, company: str | None = None,
                  title: str | None = None, engagement_ends_on=..., ) -> PoolMember:
    """Edit a member's specialties, company, title or engagement end (versioned: a stale edit is a 409)."""
    lock(member)
    if not can_keep(actor, member.unit):
        raise PermissionDenied(_("只有总行和分行客户服务部门可以维护本辖区的专家库。"))
    check_version(member, version)
    changed = []
    if specialties is not None:
        member.specialties = _check_specialties(specialties)
        changed.append("specialties")
    if company is not None:
        member.company = company.strip()
        changed.append("company")
    if title is not None:
        member.title = title.strip()
        changed.append("title")
    if engagement_ends_on is not ...:
        if member.kind == ExpertKind.ADVISOR and engagement_ends_on is None:
            raise _err("engagement_ends_on", _("聘用结束日期：外部理财顾问须填写聘用结束日期。"))
        if member.engaged_from and engagement_ends_on and engagement_ends_on < member.engaged_from:
            raise _err("engagement_ends_on", _("聘用结束日期：不能早于聘用开始日期。"))
        member.engagement_ends_on = engagement_ends_on
        changed.append("engagement_ends_on")
    if member.kind == ExpertKind.ADVISOR and not member.company:
        raise _err("company", _("所属公司：外部理财顾问须填写所属公司。"))
    member.full_clean()
    save_versioned(member, changed)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=member, unit_id=member.unit_id,
                 detail={"fields": changed})
    return member


@refusals_audited
@transaction.atomic
def member_revoke(*, actor, member: PoolMember, reason: str) -> PoolMember:
    """End a member's access at once: the next request of their session or token is refused (core.access)."""
    lock(member)
    if not can_keep(actor, member.unit):
        raise PermissionDenied(_("只有总行和分行客户服务部门可以维护本辖区的专家库。"))
    if member.revoked_at is not None:
        raise _err("revoke_reason", _("该成员的访问权限已被撤销。"))
    if not (reason or "").strip():
        raise _err("revoke_reason", _("撤销原因：请填写撤销原因。"))
    member.revoked_at, member.revoked_by, member.revoke_reason = timezone.now(), actor, reason.strip()
    member.full_clean()
    save_versioned(member, ["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=member, unit_id=member.unit_id,
                 detail={"revoked": True, "reason": member.revoke_reason})
    return member


@refusals_audited
@transaction.atomic
def slot_add(*, actor, member: PoolMember, weekday: int, start_time: dt.time, end_time: dt.time) -> AvailabilitySlot:
    if not can_keep(actor, member.unit):
        raise PermissionDenied(_("只有总行和分行客户服务部门可以维护本辖区的专家库。"))
    if weekday not in range(7):
        raise _err("weekday", _("星期：请选择星期一至星期日。"))
    if end_time <= start_time:
        raise _err("end_time", _("结束时间：必须晚于开始时间。"))
    if member.slots.filter(weekday=weekday, start_time__lt=end_time, end_time__gt=start_time).exists():
        raise _err("start_time", _("开始时间：与已有时段重叠。"))
    slot = AvailabilitySlot(member=member, weekday=weekday, start_time=start_time, end_time=end_time)
    slot.full_clean()
    slot.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=member, unit_id=member.unit_id,
                 detail={"slot_added": str(slot)})
    return slot


@refusals_audited
@transaction.atomic
def slot_remove(*, actor, slot: AvailabilitySlot) -> None:
    member = slot.member
    if not can_keep(actor, member.unit):
        raise PermissionDenied(_("只有总行和分行客户服务部门可以维护本辖区的专家库。"))
    text = str(slot)
    slot.delete()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=member, unit_id=member.unit_id,
                 detail={"slot_removed": text})


# --- consultations -------------------------------------------------------------------------------------------

def _url(consultation) -> str:
    return reverse("experts:consultation", args=[consultation.pk])


def _member_of(actor) -> PoolMember | None:
    return PoolMember.objects.filter(user_id=actor.pk).select_related("unit").first()


def audit_not_own_customer(*, actor, customer_id) -> None:
    """A consultation asked (page or API) on a customer id the client manager cannot see: the attempt audited."""
    from wealthdesk.core.access_audit import audit_access

    audit_access(actor=actor, action=AuditAction.DENIED, result="refused", what="consultation_ask",
                 customer=str(customer_id)[:20], reasons=[str(NOT_OWN_CUSTOMER)])


@refusals_audited
@transaction.atomic
def consultation_ask(*, actor, customer, question: str, specialty: str, urgency: str = Urgency.NORMAL,
                     level: str | None = None, requested_expert: PoolMember | None = None,
                     today: dt.date | None = None) -> Consultation:
    """A client manager asks for help on a customer of their own book (R3, R4)."""
    if not scope_for(actor).has(*ASKER_ROLES):
        raise PermissionDenied(_("只有客户经理可以发起专家咨询。"))
    if customer is None or customer.client_manager_id != actor.pk:
        raise _err("customer", NOT_OWN_CUSTOMER)
    today = today or timezone.localdate()
    if specialty not in Specialty.values:
        raise _err("specialty", _("专业领域：请从列表中选择。"))
    if urgency not in Urgency.values:
        raise _err("urgency", _("紧急程度：请从列表中选择。"))
    if requested_expert is not None:
        from .models import PoolMember as PM

        if not PM.objects.visible_to(actor).filter(pk=requested_expert.pk).exists():
            raise _err("requested_expert", _("指定专家：该专家不为您所在的机构提供服务。"))
        if not requested_expert.is_active_on(today):
            raise _err("requested_expert", _("指定专家：该专家已不在聘，请另选。"))
        if specialty not in requested_expert.specialties:
            raise _err("requested_expert", _("指定专家：该专家不擅长所选的专业领域。"))
        level, queue = requested_expert.level, requested_expert.unit
    else:
        if level not in Level.values:
            raise _err("level", _("咨询层级：请选择支行、分行或总行，或指定一位专家。"))
        queue = queue_unit_for(customer.center, level)
        if queue is None:
            raise _err("level", _("咨询层级：本中心上级没有该层级的机构。"))
    text = anonymise((question or "").strip(), customer)
    if not text:
        raise _err("question", _("咨询问题：请填写要咨询的问题。"))
    consultation = Consultation(
        customer=customer, center=customer.center, asked_by=actor, question=text, specialty=specialty,
        urgency=urgency, level=level, queue_unit=queue, requested_expert=requested_expert,
        summary=build_summary(customer, today), asked_on=today, due_on=due_date(f"consultation.{urgency}", today),
        created_by=actor)
    consultation.full_clean()
    consultation.save()
    ConsultationMessage.objects.create(consultation=consultation, author=actor, kind=MessageKind.QUESTION, text=text)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=consultation,
                 detail={"level": level, "queue_unit": queue.pk, "urgency": urgency,
                         "requested_expert": getattr(requested_expert, "pk", None)})
    if requested_expert is not None:
        recipients = [requested_expert.user_id]
    else:
        recipients = list(PoolMember.objects.active_on(today).filter(unit=queue, kind=ExpertKind.EXPERT)
                          .values_list("user_id", flat=True))
    notify(recipients=recipients, text=_("新的专家咨询：%(s)s") % {"s": Specialty(specialty).label},
           url=_url(consultation), obj=consultation)
    return consultation


def _taker(actor, consultation) -> PoolMember:
    member = _member_of(actor)
    if member is None or consultation.expert_id != member.pk:
        raise PermissionDenied(_("只有接单的专家可以处理这项咨询。"))
    return member


def _closed_check(consultation, field: str = "text") -> None:
    if consultation.status == ConsultationStatus.CLOSED:
        raise _err(field, _("该咨询已关闭，不能再答复或追问。"))


@refusals_audited
@transaction.atomic
def consultation_take(*, actor, consultation: Consultation) -> Consultation:
    """A pool member takes a queued consultation (one taker wins: the row is locked and the state re-read)."""
    lock(consultation)
    member = _member_of(actor)
    if member is None or not member.is_active:
        raise PermissionDenied(_("只有在聘的专家库成员可以接单。"))
    if consultation.status != ConsultationStatus.QUEUED:
        raise _err("status", _("该咨询已由其他专家接单或已处理。"))
    named = consultation.requested_expert_id
    if named is not None and named != member.pk:
        raise PermissionDenied(_("该咨询指定了其他专家。"))
    if named is None and (member.unit_id != consultation.queue_unit_id or member.kind != ExpertKind.EXPERT):
        raise PermissionDenied(_("该咨询不在您所服务机构的队列中。"))
    consultation.status, consultation.expert, consultation.taken_at = ConsultationStatus.TAKEN, member, timezone.now()
    save_versioned(consultation, ["status", "expert", "taken_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=consultation, detail={"step": "take"})
    notify(recipients=[consultation.asked_by_id], text=_("您的专家咨询已由%(who)s接单") % {"who": member.user},
           url=_url(consultation), obj=consultation)
    return consultation


@refusals_audited
@transaction.atomic
def consultation_ask_back(*, actor, consultation: Consultation, text: str) -> Consultation:
    lock(consultation)
    _taker(actor, consultation)
    _closed_check(consultation)
    if consultation.status != ConsultationStatus.TAKEN:
        raise _err("text", _("只能在处理中追问（已在等待客户经理补充或已答复）。"))
    text = (text or "").strip()
    if not text:
        raise _err("text", _("追问内容：请填写要客户经理补充的信息。"))
    ConsultationMessage(consultation=consultation, author=actor, kind=MessageKind.ASK_BACK, text=text).full_clean()
    ConsultationMessage.objects.create(consultation=consultation, author=actor, kind=MessageKind.ASK_BACK, text=text)
    consultation.status = ConsultationStatus.ASKED_BACK
    save_versioned(consultation, ["status"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=consultation, detail={"step": "ask_back"})
    notify(recipients=[consultation.asked_by_id], text=_("专家请您补充咨询信息"), url=_url(consultation),
           obj=consultation)
    return consultation


@refusals_audited
@transaction.atomic
def consultation_reply(*, actor, consultation: Consultation, text: str) -> Consultation:
    """The client manager answers the expert's ask-back (the text is anonymised like the question)."""
    lock(consultation)
    if consultation.asked_by_id != actor.pk:
        raise PermissionDenied(_("只有提出咨询的客户经理可以补充信息。"))
    if consultation.status != ConsultationStatus.ASKED_BACK:
        raise _err("text", _("专家没有在等待您的补充。"))
    text = anonymise((text or "").strip(), consultation.customer)
    if not text:
        raise _err("text", _("补充内容：请填写补充信息。"))
    ConsultationMessage.objects.create(consultation=consultation, author=actor, kind=MessageKind.REPLY, text=text)
    consultation.status = ConsultationStatus.TAKEN
    save_versioned(consultation, ["status"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=consultation, detail={"step": "reply"})
    notify(recipients=[consultation.expert.user_id], text=_("客户经理已补充咨询信息"), url=_url(consultation),
           obj=consultation)
    return consultation


@refusals_audited
@transaction.atomic
def consultation_answer(*, actor, consultation: Consultation, text: str, files=()) -> Consultation:
    """The taker answers (text and PDF/image attachments). After close: refused."""
    lock(consultation)
    _taker(actor, consultation)
    _closed_check(consultation)
    if consultation.status not in (ConsultationStatus.TAKEN, ConsultationStatus.ASKED_BACK):
        raise _err("text", _("该咨询已答复。"))
    text = (text or "").strip()
    if not text:
        raise _err("text", _("答复内容：请填写答复。"))
    checked = [check_upload(f) for f in files]
    consultation.status, consultation.answer, consultation.answered_at = (ConsultationStatus.ANSWERED, text,
                                                                          timezone.now())
    consultation.full_clean()
    save_versioned(consultation, ["status", "answer", "answered_at"])
    ConsultationMessage.objects.create(consultation=consultation, author=actor, kind=MessageKind.ANSWER, text=text)
    for upload, content_type, size in checked:
        att = ConsultationAttachment(consultation=consultation, uploaded_by=actor, name=upload.name[-120:],
                                     content_type=content_type, size=size)
        att.file.save("x", upload, save=False)
        att.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=consultation,
                 detail={"step": "answer", "attachments": len(checked)})
    notify(recipients=[consultation.asked_by_id], text=_("您的专家咨询已答复"), url=_url(consultation),
           obj=consultation)
    return consultation


def _fits_availability(member: PoolMember, start: dt.datetime, end: dt.datetime) -> bool:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if local_start.date() != local_end.date():
        return False
    return member.slots.filter(weekday=local_start.weekday(), start_time__lte=local_start.time(),
                               end_time__gte=local_end.time()).exists()


@refusals_audited
@transaction.atomic
def booking_propose(*, actor, consultation: Consultation, starts_at: dt.datetime, ends_at: dt.datetime,
                    place: str = "") -> ExpertBooking:
    """The taker proposes a meeting with the customer, booking their own time inside their availability."""
    lock(consultation)
    member = _taker(actor, consultation)
    lock(member)  # two proposals of one expert at once: the second sees the first
    _closed_check(consultation, "starts_at")
    if ends_at <= starts_at:
        raise _err("ends_at", _("结束时间：必须晚于开始时间。"))
    if starts_at <= timezone.now():
        raise _err("starts_at", _("开始时间：只能预约将来的时间。"))
    if (ends_at - starts_at).total_seconds() > int(get_param("consultation.booking_max_minutes")) * 60:
        raise _err("ends_at", _("结束时间：一次会面不能超过 %(n)s 分钟。") % {
            "n": get_param("consultation.booking_max_minutes")})
    if not _fits_availability(member, starts_at, ends_at):
        raise _err("starts_at", _("开始时间：不在该专家的可预约时段内，请在其可预约时段内预约。"))
    if ExpertBooking.objects.filter(member=member, status=BookingStatus.PROPOSED, starts_at__lt=ends_at,
                                    ends_at__gt=starts_at).exists():
        raise _err("starts_at", _("开始时间：该时段已有其他预约。"))
    booking = ExpertBooking(consultation=consultation, member=member, starts_at=starts_at, ends_at=ends_at,
                            place=(place or "").strip(), created_by=actor)
    booking.full_clean()
    booking.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=booking, unit_id=consultation.center_id,
                 customer_id=consultation.customer_id, detail={"consultation": consultation.pk})
    notify(recipients=[consultation.asked_by_id],
           text=_("专家提议与客户会面：%(t)s") % {"t": f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}"},
           url=_url(consultation), obj=consultation)
    return booking


def _asker(actor, consultation) -> None:
    if consultation.asked_by_id != actor.pk:
        raise PermissionDenied(_("只有提出咨询的客户经理可以记录使用情况和评价。"))


@refusals_audited
@transaction.atomic
def consultation_close(*, actor, consultation: Consultation, usage: str, usage_note: str = "", version=None,
                       rating: int | None = None, rating_comment: str = "") -> Consultation:
    """The client manager records how the answer was used (and may rate it at once); the consultation closes."""
    lock(consultation)
    _asker(actor, consultation)
    check_version(consultation, version)
    if consultation.status == ConsultationStatus.CLOSED:
        raise _err("usage", _("该咨询已关闭。"))
    if consultation.status != ConsultationStatus.ANSWERED:
        raise _err("usage", _("专家答复后才能记录使用情况。"))
    if usage not in Usage.values:
        raise _err("usage", _("使用情况：请从列表中选择。"))
    consultation.usage, consultation.usage_note = usage, anonymise((usage_note or "").strip(), consultation.customer)
    consultation.status, consultation.closed_at = ConsultationStatus.CLOSED, timezone.now()
    fields = ["usage", "usage_note", "status", "closed_at"]
    if rating is not None:
        _set_rating(consultation, rating, rating_comment)
        fields += ["rating", "rating_comment"]
    consultation.full_clean()
    save_versioned(consultation, fields)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=consultation,
                 detail={"step": "close", "usage": usage, "rating": rating})
    return consultation


def _set_rating(consultation, rating, comment) -> None:
    if consultation.rating is not None:
        raise _err("rating", _("该咨询已评价过。"))
    try:
        value = int(rating)
    except (TypeError, ValueError):
        raise _err("rating", _("评分：请选择 1–5 分。")) from None
    if value < 1 or value > 5:
        raise _err("rating", _("评分：请选择 1–5 分。"))
    consultation.rating, consultation.rating_comment = value, anonymise((comment or "").strip(),
                                                                        consultation.customer)[:200]


@refusals_audited
@transaction.atomic
def consultation_rate(*, actor, consultation: Consultation, rating: int, comment: str = "") -> Consultation:
    """The client manager rates the answer once (answered or closed)."""
    lock(consultation)
    _asker(actor, consultation)
    if consultation.status not in (ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED):
        raise _err("rating", _("专家答复后才能评价。"))
    _set_rating(consultation, rating, comment)
    consultation.full_clean()
    save_versioned(consultation, ["rating", "rating_comment"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=consultation, detail={"step": "rate", "rating": rating})
    return consultation
