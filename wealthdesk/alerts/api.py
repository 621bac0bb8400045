"""/api/v1/alerts/ (list, detail, follow-up, close, review, reopen), /api/v1/alert-rules/ and
/api/v1/maturities/: the same scope, roles and services as the pages."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from wealthdesk.core.api import (
    CustomerDataPermission,
    HasRole,
    StrictFieldsMixin,
    VersionInputMixin,
    router,
    service_error,
)
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.core.drf import KeysetPagination
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.serializers import MaskedField
from wealthdesk.corebanking.models import Holding

from . import selectors, services
from .choices import CloseReason
from .evidence import evidence_rows
from .models import Alert, AlertRule
from .views import MATURITY_ROLES


class AlertSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    customer_cif = serializers.CharField(source="customer.cif_no", read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.full_name", read_only=True, default="")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ["id", "kind", "kind_display", "rule", "customer", "customer_name", "customer_cif", "center",
                  "assigned_to", "assigned_to_name", "as_of", "amount", "summary", "due_date", "is_overdue", "status",
                  "status_display", "close_reason", "close_reason_other", "measures", "closed_at", "review_state",
                  "reviewed_at", "reopen_count", "version"]
        read_only_fields = fields

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue(selectors.today())


class EvidenceSerializer(serializers.Serializer):
    type = serializers.CharField()
    external_id = serializers.CharField(required=False)
    at = serializers.CharField(required=False)
    account_no = serializers.CharField(required=False)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)
    direction = serializers.CharField(required=False)
    channel = serializers.CharField(required=False)
    counterparty = serializers.CharField(required=False)
    as_of = serializers.CharField(required=False)
    aum = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)
    changed_on = serializers.CharField(required=False)
    from_tier = serializers.CharField(required=False)
    to_tier = serializers.CharField(required=False)
    aum_avg = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, allow_null=True)


class MatchSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    rule = serializers.IntegerField(source="rule_id")
    rule_name = serializers.CharField(source="rule.name")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    summary = serializers.CharField()


class AlertDetailSerializer(AlertSerializer):
    evidence = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    matches = serializers.SerializerMethodField()

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "matches", "evidence", "notes"]
        read_only_fields = fields

    def get_matches(self, obj) -> list[dict]:
        """Every rule this alert matched (R6: one alert per customer and day)."""
        return MatchSerializer(obj.matches.select_related("rule").order_by("-amount", "id"), many=True).data

    def get_evidence(self, obj) -> list[dict]:
        return EvidenceSerializer(evidence_rows(obj), many=True).data

    def get_notes(self, obj) -> list[dict]:
        user = self.context["request"].user
        return [{"at": n.created_at, "kind": n.kind, "author": str(n.created_by or ""), "text": n.text}
                for n in selectors.alert_notes(user, obj)]


class FollowUpInput(StrictFieldsMixin, VersionInputMixin):
    note = serializers.CharField(max_length=2000, error_messages={"required": _("请填写跟进情况。"),
                                                                  "blank": _("请填写跟进情况。")})


class CloseInput(StrictFieldsMixin, VersionInputMixin):
    reason = serializers.ChoiceField(choices=CloseReason.choices,
                                     error_messages={"required": _("请选择资金变动原因。"),
                                                     "invalid_choice": _("请从列表中选择资金变动原因。")})
    reason_other = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    measures = serializers.CharField(max_length=2000, error_messages={"required": _("请填写采取的措施。"),
                                                                      "blank": _("请填写采取的措施。")})


class ReviewInput(StrictFieldsMixin, VersionInputMixin):
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReopenInput(StrictFieldsMixin, VersionInputMixin):
    reason = serializers.CharField(max_length=500, error_messages={"required": _("请填写重新打开的原因。"),
                                                                   "blank": _("请填写重新打开的原因。")})


def _run(request, serializer_class, call):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        return call(**data.validated_data)
    except DjangoValidationError as exc:
        raise service_error(exc) from None


@extend_schema_view(list=extend_schema(summary="预警列表"), retrieve=extend_schema(summary="预警详情（含触发依据）"))
class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Filters: ?status=open|new|following|closed|pending_review, ?kind=, ?overdue=1, ?manager=, ?mine=1."""

    permission_classes = [permissions.IsAuthenticated, HasRole, CustomerDataPermission]
    allowed_roles = services.ALERT_VIEWERS
    pagination_class = KeysetPagination  # keyset pages (core.keyset): deep pages as fast as the first

    def get_queryset(self):
        p = self.request.query_params
        return selectors.alert_list(self.request.user, mine=p.get("mine") == "1", status=p.get("status", ""),
                                    kind=p.get("kind", ""), overdue=p.get("overdue", ""),
                                    manager=p.get("manager", ""), customer=p.get("customer", ""))

    def get_serializer_class(self):
        return AlertSerializer if self.action == "list" else AlertDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=self.get_object())
        return response

    def _act(self, request, roles, serializer_class, service):
        alert = self.get_object()  # 404 outside the scope
        if not scope_for(request.user).has(*roles):
            raise PermissionDenied("您的岗位无权执行此操作。")
        _run(request, serializer_class, lambda **kw: service(actor=request.user, alert=alert, **kw))
        alert.refresh_from_db()
        return Response(AlertDetailSerializer(alert, context=self.get_serializer_context()).data)

    @extend_schema(request=FollowUpInput, responses=AlertDetailSerializer, summary="填写跟进情况")
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        return self._act(request, services.WORKERS, FollowUpInput, services.alert_follow_up)

    @extend_schema(request=CloseInput, responses=AlertDetailSerializer, summary="关闭预警（原因与措施）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, services.WORKERS, CloseInput, services.alert_close)

    @extend_schema(request=ReviewInput, responses=AlertDetailSerializer, summary="负责人复核关闭")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._act(request, services.REVIEWERS, ReviewInput, services.alert_review)

    @extend_schema(request=ReopenInput, responses=AlertDetailSerializer, summary="负责人重新打开")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act(request, services.REVIEWERS, ReopenInput, services.alert_reopen)


class AlertRuleSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    # blank for rules that apply to every tier: declared so the schema's enum includes "" (found by fuzzing)
    tier = serializers.ChoiceField(choices=AlertRule._meta.get_field("tier").choices, read_only=True,
                                   allow_blank=True)

    class Meta:
        model = AlertRule
        fields = ["id", "code", "name", "kind", "kind_display", "tier", "min_amount", "share", "window_days",
                  "is_active"]
        read_only_fields = ["id", "code", "kind", "kind_display", "tier"]


@extend_schema_view(list=extend_schema(summary="预警规则"), retrieve=extend_schema(summary="预警规则详情"),
                    partial_update=extend_schema(summary="修改预警规则（总行）"))
class AlertRuleViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AlertRuleSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = services.ALERT_VIEWERS
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return AlertRule.objects.order_by("kind", "tier", "code")

    def perform_update(self, serializer):
        if not scope_for(self.request.user).has(*services.RULE_EDITORS):
            raise PermissionDenied("只有总行个金部客户服务处可以修改预警规则。")
        try:
            serializer.instance = services.alert_rule_update(actor=self.request.user, rule=serializer.instance,
                                                             **serializer.validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None


class MaturitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    customer = serializers.IntegerField(source="customer_id")
    customer_name = serializers.CharField(source="customer.name")
    client_manager = serializers.IntegerField(source="customer.client_manager_id", allow_null=True)
    product = serializers.IntegerField(source="product_id")
    product_name = serializers.CharField(source="product.name")
    product_kind = serializers.CharField(source="product.kind")
    account_no = MaskedField("account")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    start_date = SaneDateSerializerField()
    maturity_date = SaneDateSerializerField()


@extend_schema_view(list=extend_schema(summary="到期提醒（未来N天内到期的持仓）"), retrieve=extend_schema(summary="到期持仓详情"))
class MaturityViewSet(viewsets.ReadOnlyModelViewSet):
    """?days= overrides the window (default get_param("maturity.window_days")); ?kind= a product kind."""

    serializer_class = MaturitySerializer
    permission_classes = [permissions.IsAuthenticated, HasRole, CustomerDataPermission]
    allowed_roles = MATURITY_ROLES

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return Holding.objects.none()
        p = self.request.query_params
        days = p.get("days", "")
        if days and not (days.isdigit() and 0 < int(days) <= 366):
            raise serializers.ValidationError({"days": [_("天数必须是 1 到 366 之间的整数。")]})
        return selectors.maturities(self.request.user, days=int(days) if days else None, kind=p.get("kind", ""))


router.register("alerts", AlertViewSet, basename="alert")
router.register("alert-rules", AlertRuleViewSet, basename="alert-rule")
router.register("maturities", MaturityViewSet, basename="maturity")
