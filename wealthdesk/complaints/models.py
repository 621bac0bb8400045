"""The complaint record 《投诉记录表》 (R30) with its owner and reply deadline (R32) and a handling log.

Deadlines are data (DESIGN rule 5): ``due_on`` is stored at acceptance and moved only by the one allowed
extension, so "overdue" is the query ``status=open and due_on < today``.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.audit import AuditedUpdateQuerySet
from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.fields import EncryptedCharField, EncryptedModelMixin
from wealthdesk.core.masking import mask_mobile, mask_name
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import COMPLAINT_REACH, Reach, Role
from wealthdesk.core.scoping import ScopedQuerySet, scope_for, unit_subtree_q

from .choices import Category, Channel, LogKind, Outcome, Satisfaction, Status


def mask_contact(value: str) -> str:
    """A phone number keeps its first three and last four digits; anything else keeps its first character."""
    value = (value or "").strip()
    digits = value.replace("-", "").replace(" ", "")
    if digits.isdigit() and len(digits) >= 7:
        return mask_mobile(digits)
    if "@" in value:
        user, _at, domain = value.partition("@")
        return (user[:1] + "***@" + domain) if user else value
    return mask_name(value)


class ComplaintQuerySet(AuditedUpdateQuerySet, ScopedQuerySet):
    """Who sees a complaint (DESIGN rule 1, R30, R32).

    * heads, supervisors, upper levels and the branch's quality manager: the complaints of their subtree;
    * client managers / team leads: the complaints about their (team's) customers;
    * everybody: the complaints they recorded or received, own, or that were escalated to them — so a teller
      or lobby manager (no customer reach) sees exactly the ones they created.
    """

    scope_unit_field = "center"
    scope_owner_field = "customer__client_manager"
    scope_role_reach = COMPLAINT_REACH

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        mine = Q(created_by_id=scope.user_id) | Q(receiver_id=scope.user_id) | Q(owner_id=scope.user_id) \
            | Q(escalated_to_id=scope.user_id)
        base = self.scope_q(scope)
        q = mine if base is None else (base | mine)
        if self.effective_reach(scope) < Reach.SUBTREE:
            return self.few_rows_first(q)
        return self.filter(q)

    def in_subtree_of(self, unit_path: str):
        """Statistics only (R31): counts for a unit subtree the caller has already been checked against."""
        return self.filter(unit_subtree_q(unit_path, "center"))

    def open(self):
        return self.filter(status=Status.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Complaint(EncryptedModelMixin, VersionedModel, TimeStampedModel):
    """One complaint 《投诉记录表》 (R30): channel, category, the customer or an anonymous complainant, the content
    and the receiver; a named owner who must answer by ``due_on`` (R32); resolution, outcome and satisfaction.

    ``due_on`` counts **working days** from acceptance (``core.deadlines``, the working-day calendar of
    ``core.calendar``): ``complaint.due_days`` (15) working days, and once, for a complex case with a recorded
    reason, up to ``complaint.max_extended_days`` (30) working days.
    """

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("受理机构"), on_delete=models.PROTECT,
                               related_name="complaints")
    channel = models.CharField(_("投诉渠道"), max_length=16, choices=Channel.choices)
    category = models.CharField(_("投诉类别"), max_length=16, choices=Category.choices)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="complaints")
    complainant_name = models.CharField(_("投诉人姓名"), max_length=60, blank=True,
                                        help_text=_("非本行客户或未提供证件时填写；均不填为匿名投诉"))
    complainant_contact = EncryptedCharField(_("投诉人联系方式"), max_length=60, blank=True)  # encrypted (issue 15)
    content = models.TextField(_("投诉内容"), max_length=2000)
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), on_delete=models.PROTECT,
                                 related_name="complaints_received")
    received_on = models.DateField(_("受理日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=60, blank=True, help_text=_("如 opinion:12（由意见簿转入）"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.PROTECT,
                              related_name="complaints_owned")
    due_on = models.DateField(_("答复期限"), db_index=True)
    original_due_on = models.DateField(_("原答复期限"))
    extended_at = models.DateTimeField(_("延期时间"), null=True, blank=True)
    extension_reason = models.CharField(_("延期原因"), max_length=500, blank=True)
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("品质管理经理"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="complaints_escalated")
    escalated_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolution = models.TextField(_("处理结果"), max_length=2000, blank=True)
    outcome = models.CharField(_("处理结论"), max_length=16, choices=Outcome.choices, blank=True)
    satisfaction = models.CharField(_("客户满意度"), max_length=16, choices=Satisfaction.choices, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    objects = ComplaintQuerySet.as_manager()

    def delete(self, *args, **kwargs):
        raise PermissionError("complaints are never deleted: close them with an outcome instead")

    class Meta:
        verbose_name = _("投诉记录")
        verbose_name_plural = _("投诉记录")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(name="complaint_due_after_received", condition=Q(due_on__gte=models.F("received_on"))),
            models.CheckConstraint(
                name="complaint_closed_has_resolution",
                condition=Q(status=Status.OPEN) | (Q(closed_on__isnull=False) & ~Q(resolution="") & ~Q(outcome="")),
            ),
        ]
        indexes = [
            models.Index(fields=["center", "received_on"], name="complaint_center_recv_idx"),
            models.Index(fields=["center", "closed_on"], name="complaint_center_closed_idx"),
            models.Index(fields=["owner", "status"], name="complaint_owner_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_category_display()}"

    @property
    def number(self) -> str:
        """The form's number: TS + acceptance date + id."""
        return f"TS{self.received_on:%Y%m%d}-{self.pk or 0:05d}"

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OPEN and self.due_on < timezone.localdate()

    @property
    def answered_in_time(self) -> bool | None:
        if self.status != Status.CLOSED or self.closed_on is None:
            return None
        return self.closed_on <= self.due_on

    @property
    def is_anonymous(self) -> bool:
        return self.customer_id is None and not self.complainant_name

    @property
    def complainant(self) -> str:
        """The complainant's name in clear (detail page for handlers only; audited)."""
        if self.customer_id:
            return self.customer.name
        return self.complainant_name or str(_("匿名"))

    @property
    def complainant_masked(self) -> str:
        """R28: lists show the surname only (``张*``)."""
        return str(_("匿名")) if self.is_anonymous else mask_name(self.complainant)

    @property
    def contact_masked(self) -> str:
        return mask_contact(self.complainant_contact)

    def shows_complainant_to(self, user) -> bool:
        """R28: the complainant's name is in clear only for the complaint's owner and the head of its center."""
        if user is None or not getattr(user, "pk", None):
            return False
        if user.pk == self.owner_id:
            return True
        scope = scope_for(user)
        return scope.has(Role.CENTER_HEAD) and scope.unit_id == self.center_id

    def may_reveal_contact(self, user) -> bool:
        """Who may unmask the contact (audited reveal): the name's readers and the escalated quality manager."""
        return self.shows_complainant_to(user) or (bool(self.escalated_to_id) and user.pk == self.escalated_to_id)

    def complainant_for(self, user) -> str:
        """The complainant as ``user`` may read it (pages and exports alike)."""
        return self.complainant if self.shows_complainant_to(user) else self.complainant_masked


class ComplaintLogQuerySet(ScopedQuerySet):
    """A log entry is visible to whoever sees its complaint."""

    scope_min_reach = Reach.NONE

    def visible_to(self, user):
        return self.filter(complaint__in=Complaint.objects.visible_to(user).values("pk"))


class ComplaintLog(TimeStampedModel):
    """One step of the handling log (R30 "the follow-up"): who did what, when; ``created_by`` is the author."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("投诉"), on_delete=models.CASCADE, related_name="logs")
    kind = models.CharField(_("类型"), max_length=16, choices=LogKind.choices, default=LogKind.NOTE)
    note = models.TextField(_("内容"), max_length=2000)

    objects = ComplaintLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("投诉处理记录")
        verbose_name_plural = _("投诉处理记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.get_kind_display()}"
