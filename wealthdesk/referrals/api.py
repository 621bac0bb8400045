"""/api/v1/referrals/ (create, list, detail, lookup, follow-up actions) and /api/v1/referral-stats/ (R16, R17).

A teller's token creates and lists only their own referrals, and every row they receive carries only what
they typed or the masked name — never customer details (R28).
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, ScopedViewSetMixin, StrictFieldsMixin, VersionInputMixin, router, service_error
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.serializers import MaskedField

from . import selectors, services
from .choices import LookupKind, Signal, Urgency
from .models import Referral
from .roles import FOLLOWERS, READERS, REFERRERS, STATS_ROLES
from .views import stats_request

REFERRER_FIELDS = ["id", "referred_on", "customer_label", "is_prospect", "signal", "signal_display", "need",
                   "urgency", "needs_follow_up", "assigned_to_name", "due_on", "status", "status_display",
                   "converted_on", "invalid_reason"]


def _drf_error(exc: DjangoValidationError):
    return service_error(exc)


class ReferralSerializer(serializers.ModelSerializer):
    """Read side. Staff without customer reach (the referrers) get only ``REFERRER_FIELDS``."""

    signal_display = serializers.CharField(source="get_signal_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.__str__", read_only=True)
    referrer_name = serializers.CharField(source="referrer.__str__", read_only=True)
    is_prospect = serializers.BooleanField(read_only=True)
    prospect_mobile = MaskedField("mobile", read_only=True)
    tier_at_referral = serializers.CharField(read_only=True, help_text="推介时客户级别（customers.Tier）")

    class Meta:
        model = Referral
        fields = [*REFERRER_FIELDS, "referrer", "referrer_name", "referrer_position", "referrer_unit", "center",
                  "customer", "prospect_mobile", "assigned_to", "assignment_method", "accepted_at", "contacted_at",
                  "tier_at_referral", "aum_at_referral", "conversion_source", "conversion_amount", "version"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and scope_for(request.user).reach == Reach.NONE:
            return {k: data[k] for k in REFERRER_FIELDS}
        return data


class ReferralCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """Write side of the counter form: a customer key (or a prospect), what was noticed, urgency, follow-up."""

    lookup_kind = serializers.ChoiceField(choices=LookupKind.choices, required=False, default=LookupKind.MOBILE)
    lookup_value = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    prospect_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    prospect_mobile = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    signal = serializers.ChoiceField(choices=Signal.choices)
    need = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    needs_follow_up = serializers.BooleanField(required=False, default=True)
    assign_to = serializers.IntegerField(required=False, allow_null=True, default=None)
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class ReferralLookupSerializer(StrictFieldsMixin, serializers.Serializer):
    lookup_kind = serializers.ChoiceField(choices=LookupKind.choices)
    lookup_value = serializers.CharField(max_length=18)


class ReferralContactSerializer(StrictFieldsMixin, VersionInputMixin):
    kind = serializers.ChoiceField(choices=["phone", "meeting", "mail", "other"])
    content = serializers.CharField()
    response = serializers.CharField(required=False, allow_blank=True, default="")
    next_step = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReferralConvertSerializer(StrictFieldsMixin, VersionInputMixin):
    amount = serializers.CharField(max_length=24)


class ReferralInvalidSerializer(StrictFieldsMixin, VersionInputMixin):
    reason = serializers.CharField(max_length=200)


class ReferralAcceptSerializer(StrictFieldsMixin, VersionInputMixin):
    """Only the optional ``version`` read."""


@extend_schema_view(list=extend_schema(summary="推介列表（推介人仅本人推介）"), retrieve=extend_schema(summary="推介详情"))
class ReferralViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = Referral
    serializer_class = ReferralSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = READERS
    filterset_fields = ["status", "referrer_position", "assigned_to"]

    def get_base_queryset(self):
        return Referral.objects.select_related("referrer", "assigned_to").order_by("-referred_on", "-id")

    def _require(self, roles):
        if not scope_for(self.request.user).has(*roles):
            raise PermissionDenied("您的岗位无权使用此功能。")
        if scope_for(self.request.user).reach >= Reach.OWN and not self.request.user.has_accepted_agreement():
            raise PermissionDenied("请先签署最新的保密协议后再查看客户数据。")

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        if referral.customer_id and scope_for(request.user).reach > Reach.NONE:
            audit_record(actor=request.user, action=AuditAction.VIEW, obj=referral, unit_id=referral.center_id)
        return Response(self.get_serializer(referral).data)

    @extend_schema(request=ReferralCreateSerializer, responses=ReferralSerializer, summary="推介客户（柜员、大堂经理）")
    def create(self, request, *args, **kwargs):
        self._require(REFERRERS)
        incoming = ReferralCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            referral = services.referral_create(actor=request.user, **incoming.validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralLookupSerializer, summary="按完整身份证号码或手机号查找客户（只回答是否找到和脱敏姓名）")
    @action(detail=False, methods=["post"])
    def lookup(self, request):
        self._require(REFERRERS)
        incoming = ReferralLookupSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            result = services.referral_lookup(actor=request.user, kind=incoming.validated_data["lookup_kind"],
                                              value=incoming.validated_data["lookup_value"])
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response(result)

    def _act(self, request, serializer_class, call):
        self._require(FOLLOWERS)
        referral = self.get_object()
        incoming = serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            call(referral, incoming.validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        referral.refresh_from_db()
        return Response(self.get_serializer(referral).data)

    @extend_schema(request=ReferralAcceptSerializer, summary="接收推介")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, ReferralAcceptSerializer,
                         lambda r, d: services.referral_accept(actor=request.user, referral=r, **d))

    @extend_schema(request=ReferralContactSerializer, summary="记录联系")
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        return self._act(request, ReferralContactSerializer,
                         lambda r, d: services.referral_record_contact(actor=request.user, referral=r, **d))

    @extend_schema(request=ReferralConvertSerializer, summary="登记转化（带来资产）")
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        return self._act(request, ReferralConvertSerializer,
                         lambda r, d: services.referral_convert(actor=request.user, referral=r, **d))

    @extend_schema(request=ReferralInvalidSerializer, summary="标记无效推介")
    @action(detail=True, methods=["post"])
    def invalid(self, request, pk=None):
        return self._act(request, ReferralInvalidSerializer,
                         lambda r, d: services.referral_mark_invalid(actor=request.user, referral=r, **d))


def _row(r: dict) -> dict:
    out = {}
    for key, value in r.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif key == "aum":
            value = f"{value:.2f}"
        elif key == "rate" and value is not None:
            value = round(value, 4)
        out[key.replace("referrer__", "referrer_").replace("referrer_unit__name", "referrer_unit_name")] = value
    return out


class ReferralStatsViewSet(viewsets.ViewSet):
    """``GET /api/v1/referral-stats/?period=day|month&date=YYYY-MM-DD&unit=<id>`` — the R17 tables:
    per referrer (ranked monthly), per position and per child unit (roll-up), plus the total. The same
    selector (``selectors.statistics``) feeds the page, the Excel and the performance sheet (R34)."""

    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = STATS_ROLES

    @extend_schema(summary="推介日/月统计（按推介人、岗位、机构）", responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("period", str, enum=["day", "month"], description="day 日统计表，month 月统计"),
        OpenApiParameter("date", OpenApiTypes.DATE, description="统计日期（月统计取其所在月份）"),
        OpenApiParameter("unit", int, description="下钻到的机构编号（须在本人管辖范围内）")])
    def list(self, request):
        try:
            period, day, unit = stats_request(request)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        stats = selectors.statistics(request.user, period=period, day=day, unit=unit)
        by_unit = [{"id": row["unit"].pk, "unit_id": row["unit"].pk, "unit_name": row["unit"].name,
                    **_row(row["figures"])} for row in stats["by_unit"]]
        return Response({
            "period": period, "start": stats["start"].isoformat(), "end": stats["end"].isoformat(),
            "unit": stats["unit"].pk if stats["unit"] else None,
            "by_referrer": [{"id": r["referrer_id"], **_row(r)} for r in stats["by_referrer"]],
            "by_position": [{"id": r["referrer_position"], **_row(r)} for r in stats["by_position"]],
            "by_unit": by_unit, "total": _row(stats["total"]),
        })


router.register("referrals", ReferralViewSet, basename="referral")
router.register("referral-stats", ReferralStatsViewSet, basename="referral-stats")
