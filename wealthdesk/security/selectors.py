"""Reads of the security app: staff with their two-factor status (the administrator's reset page and API)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

User = get_user_model()


def staff_two_factor(user, *, q: str = ""):
    """Staff the user may see (``visible_to``) annotated with ``enrolled`` and ``recovery_left``."""
    qs = (User.objects.visible_to(user).select_related("unit")
          .annotate(enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                    recovery_left=Count("staticdevice__token_set", distinct=True))
          .order_by("username"))
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return qs


__all__ = ["staff_two_factor", "StaticToken"]
