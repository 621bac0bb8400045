"""The expert pool and consultations (R4).

* ``PoolMember`` — a financial advisor (external: securities, insurance, fund companies) or a financial expert
  (internal) serving one level (sub-branch, branch, head office) with specialties, a company, weekly
  ``AvailabilitySlot``s and, for advisors, the date the engagement ends. Head office and branches keep the pool.
* ``Consultation`` — a client manager's request for help on one customer of their own book: the question, the
  specialty, the urgency (its due date from ``core.deadlines``), the queue unit at the level asked (or a named
  member) and a case summary the system builds masked (tier, AUM band, age band, risk level, product kinds held).
  A pool member takes it, asks back, answers (text and ``ConsultationAttachment``s), may propose a meeting with
  the customer (``ExpertBooking``, inside their availability); the client manager records the use and rates it.

Who sees what (DESIGN rule 1) is ``ConsultationQuerySet.visible_to``: a pool member sees only the consultations
named to them or taken by them (an internal expert also the queue of their unit); everyone else by the customer
scope of the center that asked.
"""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import ScopedQuerySet, unit_subtree_q

from .choices import (
    OPEN_STATUSES,
    WEEKDAYS,
    BookingStatus,
    ConsultationStatus,
    ExpertKind,
    Level,
    MessageKind,
    Specialty,
    Urgency,
    Usage,
)

POOL_ROLES = frozenset({Role.FINANCIAL_ADVISOR, Role.FINANCIAL_EXPERT})
KEEPER_ROLES = frozenset({Role.HQ_SERVICE, Role.BRANCH_SERVICE})


class PoolQuerySet(ScopedQuerySet):
    """Keepers (head office, branches) and the sub-branch service group see the members of their subtree; staff
    who may ask (client managers and their heads) see the members serving the levels above them (names and
    specialties only); a pool member sees their own entry."""

    scope_unit_field = "unit"
    scope_owner_field = "user"

    def scope_q(self, scope):
        if scope.has(*POOL_ROLES) and scope.reach == Reach.NONE:
            return Q(user_id=scope.user_id)
        if not scope.unit_path:
            return None
        if scope.has(*KEEPER_ROLES, Role.SUBBRANCH_SERVICE):
            return unit_subtree_q(scope.unit_path, "unit") | Q(unit__path__in=_ancestors(scope.unit_path))
        if scope.reach >= Reach.OWN:
            return Q(unit__path__in=_ancestors(scope.unit_path))
        return None

    def active_on(self, day):
        return self.filter(revoked_at__isnull=True).filter(Q(engagement_ends_on__isnull=True)
                                                           | Q(engagement_ends_on__gte=day))


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[:i]) for i in range(1, len(parts) + 1)]


class PoolMember(VersionedModel, TimeStampedModel):
    """One member of the expert pool (R4): who, which kind, which level and unit they serve, their specialties,
    their company (advisors) and engagement (advisors' access ends on ``engagement_ends_on``, at once when
    ``revoked_at`` is set)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT,
                                related_name="pool_member")
    kind = models.CharField(_("类别"), max_length=8, choices=ExpertKind.choices)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("服务机构"), on_delete=models.PROTECT,
                             related_name="pool_members")
    level = models.CharField(_("服务层级"), max_length=12, choices=Level.choices)
    company = models.CharField(_("所属公司"), max_length=80, blank=True)
    title = models.CharField(_("职务/资质"), max_length=80, blank=True)
    specialties = models.JSONField(_("专业领域"), default=list)
    engaged_from = models.DateField(_("聘用开始日期"), null=True, blank=True)
    engagement_ends_on = models.DateField(_("聘用结束日期"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = PoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家库成员")
        verbose_name_plural = _("专家库成员")
        ordering = ["unit__path", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind="expert") | ~Q(company=""), name="poolmember_advisor_company"),
            models.CheckConstraint(condition=Q(kind="expert") | Q(engagement_ends_on__isnull=False),
                                   name="poolmember_advisor_end_date"),
        ]
        indexes = [models.Index(fields=["unit", "level"], name="poolmember_unit_level_idx")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def specialty_labels(self) -> list[str]:
        return [str(Specialty(s).label) for s in self.specialties if s in Specialty.values]

    def is_active_on(self, day) -> bool:
        return self.revoked_at is None and (self.engagement_ends_on is None or self.engagement_ends_on >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    @property
    def status_label(self):
        if self.revoked_at is not None:
            return _("已撤销")
        if self.engagement_ends_on is not None and self.engagement_ends_on < timezone.localdate():
            return _("聘用已结束")
        return _("在聘")


class SlotQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(member__in=PoolMember.objects.visible_to(user))


class AvailabilitySlot(models.Model):
    """A weekly window in which a pool member may meet customers (the handbook's expert pool booking)."""

    member = models.ForeignKey(PoolMember, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=WEEKDAYS)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("可预约时段")
        verbose_name_plural = _("可预约时段")
        ordering = ["weekday", "start_time"]
        constraints = [models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")),
                                              name="slot_end_after_start")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class ConsultationQuerySet(ScopedQuerySet):
    """A client manager sees what they asked; a team lead the team's; a head and the upper levels their subtree
    (by the asking center). A pool member sees only what is named to or taken by them — an internal expert also
    the open queue of the unit they serve. Nothing else, whatever their other reach."""

    scope_unit_field = "center"
    scope_owner_field = "asked_by"

    def scope_q(self, scope):
        q = super().scope_q(scope)
        if scope.has(*POOL_ROLES):
            # One small read of the member row, so that the filter is an OR of plain indexed columns (BitmapOr).
            member = PoolMember.objects.filter(user_id=scope.user_id).values("pk", "kind", "unit_id").first()
            if member is None:
                return q
            mine = Q(expert_id=member["pk"]) | Q(requested_expert_id=member["pk"])
            if member["kind"] == ExpertKind.EXPERT:
                mine |= Q(status=ConsultationStatus.QUEUED, requested_expert__isnull=True,
                          queue_unit_id=member["unit_id"])
            return mine if q is None else (q | mine)
        return q

    def overdue(self, day):
        return self.filter(status__in=OPEN_STATUSES, due_on__lt=day)


class Consultation(VersionedModel, TimeStampedModel):
    """A client manager's request for expert help on one customer case (R4)."""

    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="consultations")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="consultations")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), on_delete=models.PROTECT,
                                 related_name="consultations_asked")
    question = models.TextField(_("咨询问题"))
    specialty = models.CharField(_("专业领域"), max_length=12, choices=Specialty.choices)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    level = models.CharField(_("咨询层级"), max_length=12, choices=Level.choices)
    queue_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("受理机构"), on_delete=models.PROTECT,
                                   related_name="consultation_queue")
    requested_expert = models.ForeignKey(PoolMember, verbose_name=_("指定专家"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="requested_consultations")
    summary = models.JSONField(_("案例摘要（脱敏）"), default=dict)
    status = models.CharField(_("状态"), max_length=12, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.QUEUED)
    asked_on = models.DateField(_("提出日期"))
    due_on = models.DateField(_("答复期限"), db_index=True)
    expert = models.ForeignKey(PoolMember, verbose_name=_("接单专家"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="consultations")
    taken_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    usage = models.CharField(_("答复使用情况"), max_length=12, choices=Usage.choices, blank=True)
    usage_note = models.TextField(_("使用说明"), blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_comment = models.CharField(_("评价"), max_length=200, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家咨询")
        verbose_name_plural = _("专家咨询")
        ordering = ["-asked_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                              name="consultation_rating_range")]
        indexes = [
            models.Index(fields=["center", "-asked_on"], name="consult_center_day_idx"),
            models.Index(fields=["queue_unit", "status", "due_on"], name="consult_queue_idx"),
            models.Index(fields=["asked_by", "-asked_on"], name="consult_asker_idx"),
            models.Index(fields=["-asked_on", "-id"], name="consult_day_idx"),
            models.Index(fields=["expert", "status"], name="consult_expert_status_idx"),
        ]

    def __str__(self) -> str:
        return _("专家咨询 #%(n)s") % {"n": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, day=None) -> bool:
        return self.is_open and self.due_on < (day or timezone.localdate())


class ChildQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(consultation__in=Consultation.objects.visible_to(user))


class ConsultationMessage(models.Model):
    """One turn of the conversation: the question, an expert's ask-back, the client manager's reply, the answer."""

    consultation = models.ForeignKey(Consultation, verbose_name=_("专家咨询"), on_delete=models.CASCADE,
                                     related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发言人"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=MessageKind.choices)
    text = models.TextField(_("内容"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.kind}"


def attachment_path(instance, filename: str) -> str:
    stamp = timezone.now()
    return f"consultations/{stamp:%Y/%m}/{instance.consultation_id}-{stamp:%H%M%S%f}.{instance.extension}"


class ConsultationAttachment(models.Model):
    """A file with an answer: PDF or image only, size-capped, always served as a download."""

    consultation = models.ForeignKey(Consultation, verbose_name=_("专家咨询"), on_delete=models.CASCADE,
                                     related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("咨询附件")
        verbose_name_plural = _("咨询附件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(self.content_type, "bin")


class ExpertBooking(TimeStampedModel):
    """A meeting with the customer that the expert proposes, booking the expert's time within their availability."""

    consultation = models.ForeignKey(Consultation, verbose_name=_("专家咨询"), on_delete=models.CASCADE,
                                     related_name="bookings")
    member = models.ForeignKey(PoolMember, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点/方式"), max_length=80, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PROPOSED)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家预约")
        verbose_name_plural = _("专家预约")
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="booking_end_after_start")]
        indexes = [models.Index(fields=["member", "starts_at"], name="booking_member_start_idx")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
