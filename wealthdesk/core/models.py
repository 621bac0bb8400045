"""Shared models: the abstract base, the append-only audit log, parameters and the working-day calendar."""
from django.conf import settings
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


class AuditLog(models.Model):
    """Append-only record of who viewed, changed, revealed or exported which object, when and from where.

    Written by services and by the views that show personal data, and by management commands
    (source ``command:<name>``). On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
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
