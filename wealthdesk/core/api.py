"""Shared API pieces: the v1 router every app registers on, pagination, strict input, scoped viewsets.

An app's ``api.py`` defines serializers and viewsets and calls ``router.register(...)``; the project's
urls import every app's ``api`` module (``autodiscover_modules("api")``).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.routers import DefaultRouter

from .concurrency import Conflict
from .roles import Reach
from .scoping import scope_for

router = DefaultRouter(trailing_slash=True)


class ConflictError(exceptions.APIException):
    """409: the write was based on a stale version of the record (``core.concurrency.Conflict``)."""

    status_code = 409
    default_detail = _("该记录已被他人修改，请刷新后重试。")
    default_code = "conflict"


def service_error(exc: DjangoValidationError) -> exceptions.APIException:
    """A service's Django ``ValidationError`` as the API answers it: 409 for a stale version, else 400 by field."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    if isinstance(exc, Conflict):
        return ConflictError(detail)
    return serializers.ValidationError(detail)


class VersionInputMixin(serializers.Serializer):
    """Optional ``version`` on a transition's input: a stale version answers 409 (DESIGN rule 13)."""

    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text=_("读取时的版本号；已被他人修改时返回 409。"))


class StrictFieldsMixin:
    """Serializer mixin: unknown input fields are an error (400 naming them), not silently ignored."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("未知字段或只读字段。")] for name in unknown})
        return super().to_internal_value(data)


class HasRole(permissions.BasePermission):
    """Allows the roles listed on the view's ``allowed_roles`` (``None`` = any signed-in user)."""

    message = _("您的岗位无权使用此功能。")

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        roles = getattr(view, "allowed_roles", None)
        if roles is None:
            return True
        return scope_for(request.user).has(*roles)


class CustomerDataPermission(permissions.BasePermission):
    """Customer data needs a reach into customers and an accepted confidentiality agreement (R28)."""

    message = _("您的岗位无权查看客户数据。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if scope_for(user).reach < getattr(view, "min_reach", Reach.OWN):
            return False
        if not user.has_accepted_agreement():
            raise exceptions.PermissionDenied(_("请先签署最新的保密协议后再查看客户数据。"))
        return True


class ScopedViewSetMixin:
    """Viewsets start from ``Model.objects.visible_to(user)``; out-of-scope rows are 404."""

    scoped_model = None

    def get_base_queryset(self):
        return self.scoped_model.objects.all()

    def get_queryset(self):
        return self.get_base_queryset().visible_to(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
