"""Security records: which sessions a user holds (so they can all be ended), when the password last changed."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
