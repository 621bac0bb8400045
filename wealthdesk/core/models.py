"""Shared models: the abstract base, the append-only audit log, parameters and the working-day calendar."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import AUDIT_REACH
from .scoping import ScopedQuerySet


class TimeStampedModel(models.Model):
    """Abstract base for every domain model: created/updated time and author (DESIGN rule 8)."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Django's checks, then input hygiene for every text field (core.validators): no control characters
        (tab and line breaks allowed in multi-line text), free text at most ``TEXT_MAX_LENGTH`` characters
        unless the model sets ``text_max_lengths = {"field": n}``. Every service's ``full_clean`` enforces it."""
        from .validators import model_text_errors

        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, found in model_text_errors(self, exclude).items():
            if name not in errors:
                errors[name] = found
        if errors:
            raise ValidationError(errors)


class AuditAction(models.TextChoices):
    VIEW = "view", _("查看")
    CREATE = "create", _("新建")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    REVEAL = "reveal", _("查看明文")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    LOGIN = "login", _("登录")
    ACCEPT = "accept", _("签署")
    STAFF_CHANGE = "staff_change", _("岗位或机构变更")
    LIST = "list", _("查看列表")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    DENIED = "denied", _("拒绝访问")


class AuditLogQuerySet(ScopedQuerySet):
    """Audit rows are scoped by the unit they concern; rows without a unit are for head office only."""

    scope_unit_field = "unit"
    scope_owner_field = "actor"
    scope_role_reach = AUDIT_REACH

    def update(self, **kwargs):  # pragma: no cover - guarded for safety
        raise PermissionError("audit log is append-only")

    def delete(self):  # pragma: no cover
        raise PermissionError("audit log is append-only")


def audit_now():
    """The time of an audit row, taken when the row is made (it is part of the row's hash, core.audit_chain)."""
    from django.utils import timezone

    return timezone.now()


class ChainSeqField(models.BigIntegerField):
    """Filled by the database on INSERT and read back with RETURNING (core.audit_chain)."""

    db_returning = True


class ChainHashField(models.CharField):
    db_returning = True


class AuditLog(models.Model):
    """Append-only record of who viewed, changed, revealed or exported which object, when and from where.

    Written by services and by the views that show personal data, and by management commands
    (source ``command:<name>``). On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
    """

    at = models.DateTimeField(_("时间"), default=audit_now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False,
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    customer_id = models.BigIntegerField(_("客户编号"), null=True, blank=True, db_index=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False,
    )
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=64, blank=True, help_text=_("web、api 或 command:<命令名>"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    # The tamper-evident chain (core.audit_chain), filled by the database's insert trigger: place in insert order,
    # the previous row's hash, this row's hash.
    seq = ChainSeqField(_("链序号"), null=True, blank=True, unique=True, editable=False)
    prev_hash = ChainHashField(_("前一行哈希"), max_length=64, blank=True, null=True, editable=False)
    row_hash = ChainHashField(_("本行哈希"), max_length=64, blank=True, null=True, editable=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise PermissionError("audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit log is append-only")


class Parameter(TimeStampedModel):
    """A configurable figure head office edits (thresholds, due days…); defaults live in core.params."""

    key = models.CharField(_("参数键"), max_length=80, unique=True)
    value = models.JSONField(_("参数值"))
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("系统参数")
        verbose_name_plural = _("系统参数")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class CalendarDay(models.Model):
    """An exception to the weekday rule: a public holiday on a weekday, or an adjusted working day (调休) at a weekend.

    Days not listed follow the rule Monday–Friday work, Saturday–Sunday rest. Head office maintains the list.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class NotificationQuerySet(models.QuerySet):
    """A notification is private to its recipient: nobody else reads it, whatever their reach."""

    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one member of staff (the bell in the navbar, the inbox page, the API).

    Written only by ``core.notifications.notify``, after the transaction that caused it commits. ``url`` is
    where the message leads; ``object_type``/``object_id`` name the object it is about (optional).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notifications")
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text[:40]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

class EscalationStep(models.Model):
    """One step in the trail of something handed up the org tree and sent back (R12 problems; cases and
    complaints reuse it): who raised, collected, handed up, forwarded, answered or fed back, from which unit to
    which, when. Append-only; written by ``core.escalation`` in the transaction of the change."""

    class Kind(models.TextChoices):
        RAISE = "raise", _("提出")
        COLLECT = "collect", _("收集")
        HAND_UP = "hand_up", _("上报")
        FORWARD = "forward", _("转报上级")
        ANSWER = "answer", _("答复")
        SOLVE = "solve", _("本级解决")
        FEEDBACK = "feedback", _("反馈提出人")
        NOTE = "note", _("备注")

    content_type = models.ForeignKey("contenttypes.ContentType", verbose_name=_("对象类型"), on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    kind = models.CharField(_("环节"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("来自机构"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("送达机构"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("上报轨迹")
        verbose_name_plural = _("上报轨迹")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="escstep_object_idx")]

    def __str__(self) -> str:
        return f"{self.content_type_id}#{self.object_id} {self.kind}"


class RateCounter(models.Model):
    """A rate-limit counter shared by every worker (core.ratelimit) when no Redis cache is configured."""

    key = models.CharField(_("键"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("次数"), default=0)
    expires_at = models.FloatField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("频率计数")
        verbose_name_plural = _("频率计数")

    def __str__(self) -> str:
        return f"{self.key}={self.count}"


from .submission import SubmissionEvent  # noqa: E402,F401  (the chain's trail lives in core; see core.submission)
