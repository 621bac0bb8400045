"""Security records: which sessions a user holds (so they can all be ended), when the password last changed, and
the access alerts of the security officer."""
from dataclasses import replace

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import SECURITY_REACH, Reach
from wealthdesk.core.scoping import ScopedQuerySet

from .choices import AlertKind, AlertStatus


class UserSession(models.Model):
    """One signed-in session of a user, written at sign-in. Ending a user's sessions (deactivation, password
    change, two-factor reset) deletes the sessions named here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("员工"), on_delete=models.CASCADE,
                             related_name="+")
    session_key = models.CharField(_("会话键"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("登录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"


class PasswordRecord(models.Model):
    """When a user's password last changed (the optional rotation policy, ``WD_PASSWORD_MAX_AGE_DAYS``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("员工"), on_delete=models.CASCADE,
                                related_name="+")
    changed_at = models.DateTimeField(_("密码修改时间"))

    class Meta:
        verbose_name = _("密码修改记录")
        verbose_name_plural = _("密码修改记录")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.changed_at:%Y-%m-%d}"


class SecurityAlertQuerySet(ScopedQuerySet):
    """Only security officers see alerts (their unit's subtree); a center head's customer reach opens none."""

    scope_unit_field = "unit"
    scope_owner_field = None
    scope_role_reach = SECURITY_REACH

    def scope_q(self, scope):
        if not scope.has(*SECURITY_REACH):
            return None
        return super().scope_q(replace(scope, reach=Reach.NONE))


class SecurityAlert(TimeStampedModel):
    """One suspicious pattern of one account on one day (ASVS 16.3.3), raised by ``services.scan`` for head office's
    security officer: many distinct customers viewed, reveals past the cap, exports outside working hours, failed
    sign-ins from many addresses."""

    kind = models.CharField(_("类型"), max_length=20, choices=AlertKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("涉及员工"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    username = models.CharField(_("涉及账号"), max_length=150)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所属机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("次数"))
    threshold = models.PositiveIntegerField(_("阈值"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.TextField(_("处理说明"), blank=True, max_length=2000)

    objects = SecurityAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全告警")
        verbose_name_plural = _("安全告警")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "username", "day"], name="security_alert_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.username}"


class AuditArchive(models.Model):
    """One retention archive of the audit log (``audit_archive``): the rows ``first_seq``…``last_seq`` moved to a
    compressed file whose SHA-256 is kept here; ``last_hash`` anchors the chain's remaining rows for the verifier."""

    created_at = models.DateTimeField(_("归档时间"), auto_now_add=True)
    cutoff = models.DateTimeField(_("归档截止时间"))
    file_name = models.CharField(_("文件"), max_length=255)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"))
    first_seq = models.BigIntegerField(_("首行序号"))
    last_seq = models.BigIntegerField(_("末行序号"), unique=True)
    last_hash = models.CharField(_("末行哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计日志归档")
        verbose_name_plural = _("审计日志归档")
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"{self.first_seq}-{self.last_seq} {self.file_name}"
