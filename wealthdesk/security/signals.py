"""Hooks: note each sign-in's session; end every session and token of a user who is deactivated or whose password
changes (ASVS 7.4.1, 7.4.3); keep when the password last changed (the optional rotation policy)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import PasswordRecord
from .sessions import end_sessions, remember

User = get_user_model()


@receiver(user_logged_in, dispatch_uid="wd_security_remember_session")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember(request, user)


@receiver(pre_save, sender=User, dispatch_uid="wd_security_user_before")
def _user_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._wd_password_changed = bool(instance.pk) and getattr(instance, "_password", None) is not None
    instance._wd_deactivated = False
    if raw or not instance.pk or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._wd_deactivated = bool(was)


@receiver(post_save, sender=User, dispatch_uid="wd_security_user_after")
def _user_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if getattr(instance, "_wd_password_changed", False):
        PasswordRecord.objects.update_or_create(user=instance, defaults={"changed_at": timezone.now()})
    if getattr(instance, "_wd_password_changed", False) or getattr(instance, "_wd_deactivated", False):
        end_sessions(instance)
