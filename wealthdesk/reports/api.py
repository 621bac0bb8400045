"""/api/v1/reports/ — the reports on the submission chain: list (``kind``, ``status``, ``period``, ``mine``), detail,
create (pre-filled), edit (versioned: stale → 409) and the chain's actions submit / receive / return / share.
The same scope, roles and masking as the pages."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, ScopedViewSetMixin, StrictFieldsMixin, router
from wealthdesk.core.submission import StaleVersion, parse_period, submission_act
from wealthdesk.customers.choices import Tier

from . import selectors, services
from .choices import ReportKindChoice
from .kinds import SPECS
from .models import Report
from .views import READERS


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "该报告已被他人修改，请刷新后重试。"
    default_code = "stale_version"


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except StaleVersion as exc:
        raise Conflict(str(exc)) from None
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None


class ReportSerializer(serializers.ModelSerializer):
    """Read shape. Outside the author's center the text is the masked copy."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    author_name = serializers.SerializerMethodField()
    receiver_name = serializers.CharField(source="receiver_unit.name", read_only=True, default="")
    period = serializers.CharField(source="period_label", read_only=True)
    status_display = serializers.CharField(source="chain_status_label", read_only=True)
    is_returned = serializers.BooleanField(read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "kind", "kind_display", "unit", "unit_name", "author", "author_name", "period",
                  "period_start", "period_end", "status", "status_display", "version", "due_on", "is_late",
                  "receiver_unit", "receiver_name", "submitted_at", "received_at", "receiver_comment", "is_returned",
                  "return_comment", "shared_at", "topic_status", "tier", "product", "content"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return str(obj.author) if obj.author_id else ""

    def get_content(self, obj) -> dict:
        user = self.context["request"].user
        frozen = obj.status != "draft"
        if selectors.needs_masking(user, obj):
            # the names of every center on the page in one query (the list's other rows need them too)
            page = getattr(self.parent, "instance", None) or [obj]
            centers = {r.unit_id for r in page if selectors.needs_masking(user, r)} | {obj.unit_id}
            return selectors.masked_content(obj, frozen=frozen, names=selectors.customer_names(centers)[obj.unit_id])
        return obj.snapshot if frozen and obj.snapshot else obj.submission_content()


class ReportCreateInput(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKindChoice.choices)
    period = serializers.CharField(max_length=10, help_text="2026-11 / 2026Q3 / 2026H1")
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)
    product = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def validate(self, attrs):
        try:
            attrs["period"] = parse_period(SPECS[attrs["kind"]].period, attrs["period"])
        except ValueError as exc:
            raise serializers.ValidationError({"period": [str(exc)]}) from None
        return attrs


class ReportEditInput(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    body = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=8000), required=False)
    title = serializers.CharField(max_length=120, required=False)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)
    product = serializers.CharField(max_length=60, required=False, allow_blank=True)
    refresh_figures = serializers.BooleanField(required=False, default=False)


class ChainInput(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, required=False)


@extend_schema_view(
    list=extend_schema(summary="报告列表（报送链）", parameters=[
        OpenApiParameter("kind", str, enum=list(ReportKindChoice.values)),
        OpenApiParameter("status", str, enum=["draft", "submitted", "received", "shared", "returned"]),
        OpenApiParameter("period", str), OpenApiParameter("mine", str, enum=["1"])]),
    retrieve=extend_schema(summary="报告详情（其他机构看到的客户信息已脱敏）"))
class ReportViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                    viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = READERS
    scoped_model = Report
    serializer_class = ReportSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        p = self.request.query_params
        kind = p.get("kind", "")
        if kind and kind not in SPECS:
            raise serializers.ValidationError({"kind": ["没有这种报告。"]})
        return selectors.report_list(self.request.user, kind=kind, status=p.get("status", ""),
                                     period=p.get("period", ""), mine=p.get("mine", ""))

    @extend_schema(request=ReportCreateInput, responses=ReportSerializer, summary="新建报告草稿（预填系统数据）")
    def create(self, request, *args, **kwargs):
        data = ReportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = _call(services.report_create, actor=request.user, **data.validated_data)
        return Response(ReportSerializer(report, context={"request": request}).data, status=201)

    @extend_schema(request=ReportEditInput, responses=ReportSerializer, summary="修改草稿（带版本号，过期返回409）")
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        data = ReportEditInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = _call(services.report_update, actor=request.user, report=report, **data.validated_data)
        return Response(ReportSerializer(report, context={"request": request}).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed("PUT")

    def _act(self, request, verb):
        report = self.get_object()
        data = ChainInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = _call(submission_act, actor=request.user, report=report, action=verb,
                       comment=data.validated_data.get("comment", ""), version=data.validated_data.get("version"))
        return Response(ReportSerializer(report, context={"request": request}).data)

    @extend_schema(request=ChainInput, responses=ReportSerializer, summary="报送（冻结为一个版本）")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, "submit")

    @extend_schema(request=ChainInput, responses=ReportSerializer, summary="接收（可附意见）")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        return self._act(request, "receive")

    @extend_schema(request=ChainInput, responses=ReportSerializer, summary="退回修改（必须附意见）", operation_id="reports_return")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(request, "return")

    @extend_schema(request=ChainInput, responses=ReportSerializer, summary="共享给其他理财中心")
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return self._act(request, "share")


router.register("reports", ReportViewSet, basename="report")
from . import operating_api  # noqa: E402,F401  (/api/v1/operating-reports/)
