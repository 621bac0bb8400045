"""/api/v1/auth/token/ (user name + password + second factor → an expiring token),
/api/v1/security/two-factor/ (the system administrator: who is enrolled; reset a lost authenticator) and
/api/v1/security/alerts/ (the security officer's access alerts)."""
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from wealthdesk.core.access_audit import audit_access
from wealthdesk.core.api import HasRole, ScopedViewSetMixin, StrictFieldsMixin, router, service_error
from wealthdesk.core.audit import audit_record
from wealthdesk.core.models import AuditAction

from . import alerts, twofactor
from .alert_views import OFFICERS
from .authentication import is_locked_out
from .models import SecurityAlert
from .selectors import staff_two_factor


class TokenRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)  # a longer one gave a 500 on PostgreSQL
    password = serializers.CharField(label=_("密码"), max_length=4096, style={"input_type": "password"},
                                     trim_whitespace=False)
    otp = serializers.CharField(label=_("动态验证码"), max_length=32, required=False, allow_blank=True,
                                help_text=_("身份验证器上的6位验证码，或一个恢复码"))


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenView(APIView):
    """Exchange user name, password and a second factor for an API token that expires after
    ``security.token_hours``. A wrong login does not say which part was wrong."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=TokenRequestSerializer,
                   responses=inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                                 "expires_in": serializers.IntegerField()}))
    def post(self, request):
        from wealthdesk.core.params import get_param

        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = {k: data.validated_data[k] for k in ("username", "password")}
        user = authenticate(request=request, **credentials)
        if user is None or not user.is_active or is_locked_out(user.username):
            raise serializers.ValidationError({"detail": [_("用户名或密码不正确。")]})
        if not twofactor.is_enrolled(user):
            audit_access(actor=None, action=AuditAction.LOGIN_FAILED, result="failed", username=user.username,
                         unit_id=user.unit_id, factor="totp", reason="not_enrolled")
            raise serializers.ValidationError({"otp": [_("该账号尚未绑定身份验证器，请先在网页登录完成绑定。")]})
        if not data.validated_data.get("otp"):
            raise serializers.ValidationError({"otp": [_("请输入动态验证码（身份验证器上的6位数字或一个恢复码）。")]})
        try:
            twofactor.verify(request, user, data.validated_data["otp"])
        except DjangoValidationError:
            raise serializers.ValidationError({"otp": [twofactor.wrong_code_message()]}) from None
        with transaction.atomic():
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
        hours = float(get_param("security.token_hours"))
        return Response({"token": token.key, "expires_in": int(hours * 3600)})


class TwoFactorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    is_active = serializers.BooleanField(read_only=True)
    enrolled = serializers.BooleanField(read_only=True)
    recovery_left = serializers.IntegerField(read_only=True)


class TwoFactorViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff and whether each has an authenticator (system administrator only); ``reset`` removes it."""

    serializer_class = TwoFactorSerializer
    permission_classes = [HasRole]
    allowed_roles = twofactor.RESETTERS

    def get_queryset(self):
        return staff_two_factor(self.request.user, q=self.request.query_params.get("q", "")[:50])

    @extend_schema(request=None, responses=TwoFactorSerializer)
    @action(detail=True, methods=["post"])
    def reset(self, request, pk=None):
        user = self.get_object()
        try:
            twofactor.reset(actor=request.user, user=user)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        return Response(TwoFactorSerializer(self.get_queryset().get(pk=user.pk)).data)


router.register("security/two-factor", TwoFactorViewSet, basename="security-two-factor")


# --- /api/v1/security/alerts/: the security officer's access alerts ------------------------------------------

class SecurityAlertSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    closed_by_name = serializers.CharField(source="closed_by.username", read_only=True, default="")

    class Meta:
        model = SecurityAlert
        fields = ["id", "kind", "kind_label", "username", "unit", "unit_name", "day", "count", "threshold", "detail",
                  "status", "status_label", "closed_by_name", "closed_at", "note", "created_at"]
        read_only_fields = fields


class SecurityAlertCloseSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(label=_("处理说明"), max_length=2000)


class SecurityAlertViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Access alerts (security officer only), filterable by ``kind`` and ``status``; ``close`` with a note."""

    scoped_model = SecurityAlert
    serializer_class = SecurityAlertSerializer
    permission_classes = [HasRole]
    allowed_roles = OFFICERS
    filterset_fields = ["kind", "status", "day"]

    def get_base_queryset(self):
        return SecurityAlert.objects.select_related("unit", "closed_by").order_by("-day", "-id")

    def retrieve(self, request, *args, **kwargs):
        alert = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=alert, unit_id=alert.unit_id)
        return Response(self.get_serializer(alert).data)

    @extend_schema(request=SecurityAlertCloseSerializer, responses=SecurityAlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        alert = self.get_object()
        data = SecurityAlertCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            alerts.alert_close(actor=request.user, alert=alert, note=data.validated_data["note"])
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        return Response(SecurityAlertSerializer(alert).data)


router.register("security/alerts", SecurityAlertViewSet, basename="security-alert")
