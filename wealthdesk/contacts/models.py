"""Contact records (R27), the contact policy per tier (R26) and appointments."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.scoping import ScopedQuerySet
from wealthdesk.customers.choices import Tier

from .choices import AppointmentStatus, ContactKind


class CustomerScopedQuerySet(ScopedQuerySet):
    """Rows about a customer are seen by whoever sees the customer (DESIGN rule 1): the customer's client
    manager, their team lead, and the center head and upper levels by subtree."""

    scope_unit_field = "customer__center"
    scope_owner_field = "customer__client_manager"


class ContactPolicy(TimeStampedModel):
    """Minimum contact frequency per tier (R26), set by head office in the admin.

    ``interval_months`` = N means: at least one contact in every N *calendar* months (what banks report).
    0 means no requirement. A tier without a row uses ``DEFAULT_INTERVALS`` (SPEC: private banking, core and
    ordinary premium once a month; ordinary customers none). How "once a month" works across month ends is
    explained in ``contacts.policy``.
    """

    tier = models.CharField(_("客户级别"), max_length=16, choices=Tier.choices, unique=True)
    interval_months = models.PositiveSmallIntegerField(
        _("最低联系频率（每N个自然月至少一次，0为不要求）"), validators=[MinValueValidator(0), MaxValueValidator(12)])

    class Meta:
        verbose_name = _("客户联系频率标准")
        verbose_name_plural = _("客户联系频率标准")
        ordering = ["tier"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()}: {self.interval_months}"


DEFAULT_INTERVALS = {Tier.PRIVATE: 1, Tier.CORE: 1, Tier.PREMIUM: 1, Tier.ORDINARY: 0}


class ContactRecord(TimeStampedModel):
    """One contact with a customer (R27 《会面/电话/邮寄客户维护记录表》): kind, time, place, purpose, content,
    the customer's response, next step and next-contact date. ``staff`` is who made the contact."""

    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="contact_records")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), on_delete=models.PROTECT,
                              related_name="contact_records")
    kind = models.CharField(_("联系方式"), max_length=16, choices=ContactKind.choices)
    contacted_at = models.DateTimeField(_("联系时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    purpose = models.CharField(_("目的"), max_length=200, blank=True)
    content = models.TextField(_("内容"), blank=True)
    response = models.TextField(_("客户反馈"), blank=True)
    next_step = models.CharField(_("下一步"), max_length=200, blank=True)
    next_contact_on = models.DateField(_("下次联系日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=40, blank=True, help_text=_("如 referral:12、appointment:3"))

    objects = CustomerScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户维护记录")
        verbose_name_plural = _("客户维护记录")
        ordering = ["-contacted_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "contacted_at"], name="contact_customer_at_idx"),
            models.Index(fields=["staff", "contacted_at"], name="contact_staff_at_idx"),
            # The contact list's order (issue 16): the newest contacts of a subtree without sorting all of them.
            models.Index(fields=["-contacted_at", "-id"], name="contact_at_id_desc_idx"),
            # Contacts made for a campaign, a referral or an appointment (issue 16): the campaign results count
            # ``source = 'campaign:N'`` without scanning millions of contacts; most contacts have no source, so
            # the index is partial and small.
            models.Index(fields=["source"], name="contact_source_idx", condition=~models.Q(source="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contacted_at:%Y-%m-%d} #{self.customer_id}"


class Appointment(TimeStampedModel):
    """A planned visit or call; when done it becomes (links to) a contact record."""

    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="appointments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), on_delete=models.PROTECT,
                              related_name="appointments")
    kind = models.CharField(_("方式"), max_length=16, choices=ContactKind.choices, default=ContactKind.MEETING)
    planned_at = models.DateTimeField(_("预约时间"), db_index=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    purpose = models.CharField(_("目的"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.PLANNED)
    contact = models.OneToOneField(ContactRecord, verbose_name=_("联系记录"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="appointment")

    objects = CustomerScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户预约")
        verbose_name_plural = _("客户预约")
        ordering = ["planned_at", "id"]
        indexes = [models.Index(fields=["staff", "planned_at"], name="appt_staff_at_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="done") | models.Q(contact__isnull=False),
                                   name="appt_done_has_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_at:%Y-%m-%d %H:%M} #{self.customer_id}"


class ContactState(models.Model):
    """Per customer, the time of the last contact (issue 16): a plain indexed column kept by the contact writes
    in their transaction, so the policy lists and the coverage need no correlated ``Max`` subquery."""

    customer = models.OneToOneField("customers.Customer", verbose_name=_("客户"), on_delete=models.CASCADE,
                                    primary_key=True, related_name="contact_state")
    last_contact_at = models.DateTimeField(_("最近联系时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("客户联系状态")
        verbose_name_plural = _("客户联系状态")

    def __str__(self) -> str:
        return f"#{self.customer_id} {self.last_contact_at}"


class CoverageCountQuerySet(ScopedQuerySet):
    scope_unit_field = "center"
    scope_owner_field = "manager"


class CoverageCount(models.Model):
    """Maintained summary of the contact policy (issue 16): customers per center, client manager, tier and the
    calendar month of their policy anchor (last contact, else record creation; ``anchor_month`` = year × 12 +
    month − 1, Asia/Shanghai), split by whether they were ever contacted. Coverage and overdue counts are range
    sums over the months (``contacts.policy``), whatever the policy's intervals. Kept by the contact writes and the
    customer services (``core.summaries``)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(_("客户级别"), max_length=16, choices=Tier.choices)
    anchor_month = models.IntegerField(_("联系基准月份"))
    contacted = models.BooleanField(_("曾联系"))
    n = models.IntegerField(_("客户数"), default=0)

    objects = CoverageCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系覆盖汇总")
        verbose_name_plural = _("联系覆盖汇总")
        constraints = [models.UniqueConstraint(fields=["center", "manager", "tier", "anchor_month", "contacted"],
                                               name="coveragecount_key_uniq")]
        indexes = [models.Index(fields=["manager", "tier"], name="coveragecount_manager_idx")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.manager_id}/{self.tier}/{self.anchor_month}/{self.contacted}: {self.n}"


class ContactDayCount(models.Model):
    """Maintained summary of the contacts made (issue 16): per center, client manager and tier of the customer
    (now) and local day (Asia/Shanghai) of the contact, ``contacts`` made that day and ``first_contacts``, the
    customers whose first contact of that calendar month fell on that day. Over a span from the 1st of a month
    to a day D of it, Σ ``contacts`` is the contacts made and Σ ``first_contacts`` the customers contacted (R1,
    R26, R27). Kept by the contact writes and the customer services in their transaction (``core.summaries``)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(_("客户级别"), max_length=16, choices=Tier.choices)
    day = models.DateField(_("联系日期"))
    contacts = models.IntegerField(_("联系次数"), default=0)
    first_contacts = models.IntegerField(_("当月首次联系客户数"), default=0)

    objects = CoverageCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("每日联系汇总")
        verbose_name_plural = _("每日联系汇总")
        constraints = [models.UniqueConstraint(fields=["center", "manager", "tier", "day"],
                                               name="contactdaycount_key_uniq")]
        indexes = [models.Index(fields=["manager", "day"], name="contactdaycount_manager_idx")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.manager_id}/{self.tier}/{self.day}: {self.contacts}, {self.first_contacts}"


class ContactCenterDayCount(models.Model):
    """The same as ``ContactDayCount`` without the client manager: what the roll-up dashboards read per center, a
    few rows per center and day whatever the staff (issue 16)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(_("客户级别"), max_length=16, choices=Tier.choices)
    day = models.DateField(_("联系日期"))
    contacts = models.IntegerField(_("联系次数"), default=0)
    first_contacts = models.IntegerField(_("当月首次联系客户数"), default=0)

    class Meta:
        verbose_name = _("理财中心每日联系汇总")
        verbose_name_plural = _("理财中心每日联系汇总")
        constraints = [models.UniqueConstraint(fields=["day", "center", "tier"], name="contactcenterday_key_uniq")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.tier}/{self.day}: {self.contacts}, {self.first_contacts}"
