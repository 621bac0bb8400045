"""Shared API pieces: the v1 router every app registers on, pagination, strict input, scoped viewsets.

An app's ``api.py`` defines serializers and viewsets and calls ``router.register(...)``; the project's
urls import every app's ``api`` module (``autodiscover_modules("api")``).
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from .permissions import AgreementGate
from .roles import Reach
from .scoping import scope_for, sees_balances

router = DefaultRouter(trailing_slash=True)


class StrictFieldsMixin:
    """Serializer mixin: unknown input fields are an error (400 naming them), not silently ignored."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("未知字段或只读字段。")] for name in unknown})
        return super().to_internal_value(data)


class HasRole(AgreementGate):
    """Allows the roles listed on the view's ``allowed_roles`` (``None`` = any signed-in user)."""

    message = _("您的岗位无权使用此功能。")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        roles = getattr(view, "allowed_roles", None)
        if roles is None:
            return True
        return scope_for(request.user).has(*roles)


class CustomerDataPermission(AgreementGate):
    """Customer data needs a reach into customers and an accepted confidentiality agreement (R28)."""

    message = _("您的岗位无权查看客户数据。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if scope_for(user).reach < getattr(view, "min_reach", Reach.OWN):
            return False
        if getattr(view, "money_data", False) and not sees_balances(user):
            return False  # balances, holdings and transactions: not for the archive keeper (R29)
        return super().has_permission(request, view)


class ScopedViewSetMixin:
    """Viewsets start from ``Model.objects.visible_to(user)``; out-of-scope rows are 404."""

    scoped_model = None

    def get_base_queryset(self):
        return self.scoped_model.objects.all()

    def get_queryset(self):
        return self.get_base_queryset().visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            from .access_audit import audit_list_view

            data = response.data if isinstance(response.data, dict) else {}
            audit_list_view(request, what=type(self).__name__, count=data.get("count"))
        return response


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRole]
