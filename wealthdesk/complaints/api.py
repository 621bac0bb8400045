"""/api/v1/complaints/ (+ actions log, extend, escalate, close) and /api/v1/complaint-stats/ — the same scope,
roles and masking as the pages (R30–R32)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, ScopedViewSetMixin, StrictFieldsMixin, VersionInputMixin, router, service_error
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.core.roles import UPPER_LEVEL
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors, services, stats
from .choices import Category, Channel, LogKind, Outcome, Satisfaction
from .models import Complaint, ComplaintLog
from .views import PAGE_ROLES


class ComplaintLogSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="created_by.__str__", read_only=True, default="")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ComplaintLog
        fields = ["id", "kind", "kind_display", "note", "author", "created_at"]


class ComplaintSerializer(serializers.ModelSerializer):
    """Read shape: the complainant's name and contact are always masked."""

    number = serializers.CharField(read_only=True)
    center_name = serializers.CharField(source="center.name", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    complainant = serializers.CharField(source="complainant_masked", read_only=True)
    complainant_contact = serializers.CharField(source="contact_masked", read_only=True)
    receiver_name = serializers.CharField(source="receiver.__str__", read_only=True)
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    is_extended = serializers.BooleanField(read_only=True)
    answered_in_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Complaint
        fields = ["id", "number", "center", "center_name", "channel", "channel_display", "category",
                  "category_display", "customer", "complainant", "complainant_contact", "content", "receiver",
                  "receiver_name", "received_on", "source", "owner", "owner_name", "due_on", "original_due_on",
                  "is_extended", "extension_reason", "escalated_to", "escalated_at", "status", "status_display",
                  "is_overdue", "resolution", "outcome", "satisfaction", "closed_on", "answered_in_time", "version"]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSerializer):
    logs = ComplaintLogSerializer(many=True, read_only=True)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "logs"]
        read_only_fields = fields


class ComplaintCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """Input of POST /api/v1/complaints/. ``center`` only for upper levels (others record for their own unit);
    a customer by ``customer`` id (within the caller's customer scope) or by exact ``customer_id_number`` /
    ``customer_mobile`` within the center."""

    center = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False)
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    content = serializers.CharField(max_length=2000)
    customer = serializers.IntegerField(required=False)
    customer_id_number = serializers.CharField(max_length=32, required=False)
    customer_mobile = serializers.CharField(max_length=11, required=False)
    complainant_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    complainant_contact = serializers.CharField(max_length=60, required=False, allow_blank=True)
    received_on = SaneDateSerializerField(required=False)

    def validate(self, attrs):
        user = self.context["request"].user
        if not scope_for(user).has(*UPPER_LEVEL) or "center" not in attrs:
            attrs["center"] = user.unit
        center = attrs["center"]
        customer_pk = attrs.pop("customer", None)
        id_number, mobile = attrs.pop("customer_id_number", ""), attrs.pop("customer_mobile", "")
        customer = None
        if customer_pk is not None:
            customer = Customer.objects.visible_to(user).filter(pk=customer_pk).first()
            if customer is None:
                raise serializers.ValidationError({"customer": ["客户不存在或不在您的管辖范围内。"]})
        elif id_number or mobile:
            customer = selectors.find_customer_for_complaint(user, center, id_number=id_number, mobile=mobile)
            if customer is None:
                field = "customer_id_number" if id_number else "customer_mobile"
                raise serializers.ValidationError({field: ["本机构没有与之完全匹配的客户。"]})
        attrs["customer"] = customer
        return attrs


class LogInput(StrictFieldsMixin, VersionInputMixin):
    note = serializers.CharField(max_length=2000, allow_blank=True)
    kind = serializers.ChoiceField(choices=[LogKind.NOTE, LogKind.CONTACT], default=LogKind.NOTE)


class ExtendInput(StrictFieldsMixin, VersionInputMixin):
    reason = serializers.CharField(max_length=500, allow_blank=True)
    days = serializers.IntegerField(required=False, min_value=1)


class EscalateInput(StrictFieldsMixin, VersionInputMixin):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class AssignInput(StrictFieldsMixin, VersionInputMixin):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class ComplaintCloseInput(StrictFieldsMixin, VersionInputMixin):
    resolution = serializers.CharField(max_length=2000, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True)


class AgreementAccepted(permissions.BasePermission):
    """Complaints carry personal data: R28's confidentiality agreement first, for every role (tellers too)."""

    def has_permission(self, request, view) -> bool:
        if request.user and request.user.is_authenticated and not request.user.has_accepted_agreement():
            raise PermissionDenied("请先签署最新的保密协议后再查看客户数据。")
        return True


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise service_error(exc) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


@extend_schema_view(list=extend_schema(summary="投诉列表（投诉人脱敏）"), retrieve=extend_schema(summary="投诉详情与处理记录"))
class ComplaintViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole, AgreementAccepted]
    allowed_roles = PAGE_ROLES
    scoped_model = Complaint

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.complaint_list(self.request.user, status=p.get("status", ""), channel=p.get("channel", ""),
                                      category=p.get("category", ""), overdue=p.get("overdue", ""),
                                      mine=p.get("mine", ""), customer=p.get("customer", ""),
                                      escalated=p.get("escalated", ""))
        if self.action != "list":
            qs = qs.prefetch_related("logs__created_by")
        return qs

    def get_serializer_class(self):
        if self.action == "create":
            return ComplaintCreateSerializer
        return ComplaintDetailSerializer if self.action != "list" else ComplaintSerializer

    def retrieve(self, request, *args, **kwargs):
        complaint = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=complaint)
        return Response(ComplaintDetailSerializer(complaint, context={"request": request}).data)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintDetailSerializer}, summary="受理投诉")
    def create(self, request, *args, **kwargs):
        if not scope_for(request.user).has(*services.RECORDERS):
            raise PermissionDenied("您的岗位无权受理投诉。")
        data = ComplaintCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        complaint = _call(services.complaint_create, actor=request.user, **data.validated_data)
        return Response(ComplaintDetailSerializer(complaint, context={"request": request}).data, status=201)

    def _act(self, request, input_cls, fn, **extra):
        complaint = self.get_object()
        data = input_cls(data=request.data)
        data.is_valid(raise_exception=True)
        _call(fn, actor=request.user, complaint=complaint, **data.validated_data, **extra)
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(ComplaintDetailSerializer(complaint, context={"request": request}).data)

    @extend_schema(request=LogInput, summary="添加处理记录")
    @action(detail=True, methods=["post"])
    def log(self, request, pk=None):
        return self._act(request, LogInput, services.complaint_add_log)

    @extend_schema(request=ExtendInput, summary="延长答复期限（仅一次）")
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._act(request, ExtendInput, services.complaint_extend)

    @extend_schema(request=EscalateInput, summary="上报品质管理经理")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._act(request, EscalateInput, services.complaint_escalate)

    @extend_schema(request=AssignInput, summary="变更责任人")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._act(request, AssignInput, services.complaint_assign)

    @extend_schema(request=ComplaintCloseInput, summary="办结（必须有处理结果）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, ComplaintCloseInput, services.complaint_close)


class ComplaintStatsViewSet(viewsets.ViewSet):
    """GET /api/v1/complaint-stats/?period=daily&date=YYYY-MM-DD|period=monthly&month=YYYY-MM&unit=<id>:
    one row per child unit (``id`` = unit id; drill down with ``unit``), plus the total (R31)."""

    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = stats.STATS_ROLES

    @extend_schema(summary="客户投诉日/月统计（逐级汇总）", responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("period", str, enum=["daily", "monthly"]), OpenApiParameter("date", str),
        OpenApiParameter("month", str), OpenApiParameter("unit", int)])
    def list(self, request):
        p = request.query_params
        kind = p.get("period", "daily")
        if kind not in stats.TITLES:
            raise serializers.ValidationError({"period": ["统计周期只能是 daily 或 monthly。"]})
        root = stats.root_for(request.user, p.get("unit"))
        param = "date" if kind == "daily" else "month"
        try:
            period = stats.parse_period(kind, p.get(param, ""), timezone.localdate())
        except ValueError as exc:
            raise serializers.ValidationError({param: [str(exc)]}) from None
        return Response(stats.table_as_json(stats.build_table(root, period)))


router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("complaint-stats", ComplaintStatsViewSet, basename="complaint-stats")
