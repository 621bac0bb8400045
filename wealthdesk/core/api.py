"""Shared API pieces: the v1 router every app registers on, pagination, strict input, scoped viewsets.

An app's ``api.py`` defines serializers and viewsets and calls ``router.register(...)``; the project's
urls import every app's ``api`` module (``autodiscover_modules("api")``).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from .concurrency import Conflict
from .permissions import AgreementGate
from .roles import Reach
from .scoping import scope_for, sees_balances


def may_list(request, viewset) -> bool:
    """Whether ``request``'s user passes every permission of ``viewset``'s list action (the checks DRF runs before
    the view: roles, reach, the confidentiality agreement). Rows are still scoped by the view itself."""
    view = viewset(action_map={"get": "list"}, action="list", basename="", detail=False)
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), {}, None
    try:
        return all(p.has_permission(request, view) for p in view.get_permissions())
    except exceptions.APIException:
        return False


class PermittedAPIRootView(APIRootView):
    """``/api/v1/`` lists only the endpoints the signed-in user may call: least privilege also in what the API
    tells a user exists (a client manager is not shown head office's monitor)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        allowed = {prefix for prefix, viewset, _basename in router.registry if may_list(request, viewset)}
        response.data = {key: url for key, url in response.data.items() if key in allowed}
        return response


class Router(DefaultRouter):
    APIRootView = PermittedAPIRootView


router = Router(trailing_slash=True)


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
        value = super().to_internal_value(data)
        self._check_text(value)
        return value

    def _check_text(self, value) -> None:
        """Input hygiene (core.validators): control characters and over-long free text are a 400 naming the field."""
        from django.core.exceptions import FieldDoesNotExist
        from django.db import models

        from .validators import TEXT_MAX_LENGTH, text_errors

        model = getattr(getattr(self, "Meta", None), "model", None)
        errors = {}
        for name, field in self.fields.items():
            source = getattr(field, "source", name) or name
            text = value.get(source) if isinstance(value, dict) else None
            if not isinstance(text, str) or not text or not isinstance(field, serializers.CharField):
                continue
            model_field = None
            if model is not None:
                try:
                    model_field = model._meta.get_field(source)
                except FieldDoesNotExist:
                    model_field = None
            multiline = model_field is None or isinstance(model_field, models.TextField)
            limit = (model_field.max_length or TEXT_MAX_LENGTH) if isinstance(model_field, models.TextField) else None
            found = text_errors(text, label=field.label or name, multiline=multiline, max_length=limit)
            if found:
                errors[name] = [e.message % e.params for e in found]
        if errors:
            raise serializers.ValidationError(errors)


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


# --- /api/v1/notifications/: each user's own notifications (core.notifications) ----------------------------

class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """List (``?unread=1`` for the unread ones), read one, mark one or all read."""

    serializer_class = NotificationSerializer
    permission_classes = [AgreementGate]

    def get_queryset(self):
        from .models import Notification

        qs = Notification.objects.visible_to(self.request.user)
        unread = self.request.query_params.get("unread", "")
        if unread not in ("", "0", "1"):
            raise serializers.ValidationError({"unread": [_("只能是 0 或 1。")]})
        return qs.unread() if unread == "1" else qs

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        from .notifications import mark_read

        note = self.get_object()
        mark_read(actor=request.user, ids=[note.pk])
        note.refresh_from_db()
        return Response(self.get_serializer(note).data)

    @extend_schema(request=None, responses=inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        from .notifications import mark_read

        return Response({"marked": mark_read(actor=request.user)})


router.register("notifications", NotificationViewSet, basename="notification")
