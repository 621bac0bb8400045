"""/api/v1/targets/ (with live progress; ``split`` divides a target among the units or staff below, R33) and
/api/v1/performance-sheets/ (each center-month sheet with the per-indicator breakdown of the lines the user may
see and the links to the records behind every figure, R34). Same scope and roles as the pages."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, ScopedViewSetMixin, StrictFieldsMixin, VersionInputMixin, router, service_error

from . import selectors, services
from .choices import DEDUCTIONS, PeriodKind
from .forms import parse_period
from .models import PerformanceSheet, Target
from .nav import SHEET_READERS, TARGET_READERS
from .progress import progress_for


class ProgressSerializer(serializers.Serializer):
    actual = serializers.FloatField()
    expected = serializers.FloatField()
    gap = serializers.FloatField()
    forecast = serializers.FloatField()
    share_elapsed = serializers.FloatField()
    behind = serializers.BooleanField()


class TargetSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    staff_name = serializers.SerializerMethodField()
    period = serializers.CharField(source="period_label", read_only=True)
    period_end = serializers.DateField(read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["id", "indicator", "indicator_code", "indicator_name", "period_kind", "period", "period_start",
                  "period_end", "unit", "unit_name", "staff", "staff_name", "parent", "amount", "weight", "version",
                  "progress"]
        read_only_fields = fields

    def get_staff_name(self, obj) -> str:
        return str(obj.staff) if obj.staff_id else ""

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, obj) -> dict:
        progress = self.context.get("progress", {}).get(obj.pk)
        if progress is None:
            progress = progress_for([obj])[obj.pk]
        return ProgressSerializer(progress).data


class SplitInput(StrictFieldsMixin, VersionInputMixin):
    parts = serializers.DictField(child=serializers.CharField(max_length=30), allow_empty=False,
                                  help_text="{单位或员工id: 目标值}")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary="目标列表（含实时进度）", parameters=[
        OpenApiParameter("kind", str, enum=list(PeriodKind.values)), OpenApiParameter("period", str),
        OpenApiParameter("indicator", str), OpenApiParameter("level", str, enum=["unit", "staff"])]),
    retrieve=extend_schema(summary="目标详情（含实时进度）"))
class TargetViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = frozenset(TARGET_READERS)
    scoped_model = Target
    serializer_class = TargetSerializer

    def get_queryset(self):
        p = self.request.query_params
        kind = p.get("kind", "")
        if kind and kind not in PeriodKind.values:
            raise serializers.ValidationError({"kind": ["期间类型不正确。"]})
        start = None
        if p.get("period"):
            try:
                start = parse_period(kind or PeriodKind.MONTH, p["period"])
            except ValueError as exc:
                raise serializers.ValidationError({"period": [str(exc)]}) from None
        level = p.get("level", "")
        return selectors.target_list(self.request.user, period_kind=kind, period_start=start,
                                     indicator=p.get("indicator", "")[:40],
                                     level=level if level in ("unit", "staff") else "").order_by("-period_start", "id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page)
        data = TargetSerializer(rows, many=True, context={"request": request, "progress": progress_for(rows)}).data
        return self.get_paginated_response(data)

    @extend_schema(request=SplitInput, responses=TargetSerializer(many=True),
                   summary="分解目标（各部分之和须等于整体，不能为负数）")
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        target = self.get_object()
        data = SplitInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            parts = services.target_split(actor=request.user, target=target, parts=data.validated_data["parts"],
                                          reason=data.validated_data.get("reason", ""),
                                          version=data.validated_data.get("version"))
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(TargetSerializer(parts, many=True, context={"request": request}).data)


class IndicatorLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    metric_key = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    weight = serializers.IntegerField()
    cap_percent = serializers.IntegerField()
    target = serializers.FloatField()
    actual = serializers.FloatField()
    ratio = serializers.FloatField()
    points = serializers.FloatField()
    bonus = serializers.FloatField()
    earned = serializers.FloatField()
    records_url = serializers.CharField()


class DeductionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    per_item = serializers.FloatField()
    points = serializers.FloatField()
    records_url = serializers.CharField()


class StaffLineSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    group = serializers.CharField()
    base = serializers.FloatField()
    bonus = serializers.FloatField()
    deduction_points = serializers.FloatField()
    adjustment_points = serializers.FloatField()
    total = serializers.FloatField()
    lines = IndicatorLineSerializer(many=True)
    deductions = DeductionSerializer(many=True)


class SheetSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    month = serializers.CharField(source="month_label", read_only=True)
    is_closed = serializers.BooleanField(read_only=True)
    status_display = serializers.CharField(source="chain_status_label", read_only=True)
    staff = serializers.SerializerMethodField()

    class Meta:
        model = PerformanceSheet
        fields = ["id", "unit", "unit_name", "month", "period_start", "is_closed", "closed_at", "close_due_on",
                  "comment", "status", "status_display", "version", "due_on", "staff"]
        read_only_fields = fields

    @extend_schema_field(StaffLineSerializer(many=True))
    def get_staff(self, obj) -> list:
        request = self.context["request"]
        if "records_url" not in self.context:
            self.context["records_url"] = records_url_maker(request)
        url = self.context["records_url"]
        out = []
        for line in selectors.sheet_scores(request.user, obj, self.context.get("live_scores")):
            uid = line["user_id"]
            out.append(staff_line_data(line, lambda key, uid=uid: url(obj.pk, uid, key)))
        return out


_SENTINELS = (987654321, 876543219, "wd-key")


def records_url_maker(request):
    """``url(sheet id, user id, key)`` of the records behind a figure: one ``reverse`` per request, not one per
    figure (a branch's page holds thousands of figures; issue 16)."""
    pk, uid, key = _SENTINELS
    url = request.build_absolute_uri(reverse("targets:records", args=[pk, uid, key]))
    head, rest = url.split(str(pk), 1)
    middle, rest = rest.split(str(uid), 1)
    before_key, tail = rest.split(key, 1)
    return lambda sheet_id, user_id, code: f"{head}{sheet_id}{middle}{user_id}{before_key}{code}{tail}"


_LINE_FIELDS = (("code", str), ("name", str), ("metric_key", str), ("unit", str), ("direction", str),
                ("weight", int), ("cap_percent", int), ("target", float), ("actual", float), ("ratio", float),
                ("points", float), ("bonus", float), ("earned", float))
_DEDUCTION_FIELDS = (("key", str), ("label", str), ("count", int), ("per_item", float), ("points", float))
_STAFF_FIELDS = (("user_id", int), ("name", str), ("group", str), ("base", float), ("bonus", float),
                 ("deduction_points", float), ("adjustment_points", float), ("total", float))


def staff_line_data(line: dict, url) -> dict:
    """What ``StaffLineSerializer`` gives for one staff line (with each figure's ``records_url``), built as plain
    dicts: a DRF serializer per line and field cost more than the scoring itself on a branch's list (issue 16)."""
    out = {name: kind(line[name]) for name, kind in _STAFF_FIELDS}
    out["lines"] = [{**{name: kind(item[name]) for name, kind in _LINE_FIELDS}, "records_url": url(item["code"])}
                    for item in line["lines"]]
    out["deductions"] = [{**{name: kind(d[name]) for name, kind in _DEDUCTION_FIELDS}, "records_url": url(d["key"])}
                         for d in line["deductions"] if d["key"] in DEDUCTIONS]
    return out


@extend_schema_view(
    list=extend_schema(summary="绩效汇总表列表（每行含可见员工的分项得分与记录链接）", parameters=[
        OpenApiParameter("month", str, description="YYYY-MM"), OpenApiParameter("status", str, enum=["open", "closed"])]),
    retrieve=extend_schema(summary="绩效汇总表详情"))
class PerformanceSheetViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = frozenset(SHEET_READERS)
    scoped_model = PerformanceSheet
    serializer_class = SheetSerializer

    def get_queryset(self):
        p = self.request.query_params
        month = None
        if p.get("month"):
            try:
                month = parse_period(PeriodKind.MONTH, p["month"])
            except ValueError as exc:
                raise serializers.ValidationError({"month": [str(exc)]}) from None
        status = p.get("status", "")
        return selectors.sheet_list(self.request.user, month=month,
                                    status=status if status in ("open", "closed") else "").order_by("-period_start",
                                                                                                     "id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page)
        context = {**self.get_serializer_context(), "live_scores": selectors.live_scores(rows)}
        return self.get_paginated_response(SheetSerializer(rows, many=True, context=context).data)


router.register("targets", TargetViewSet, basename="target")
router.register("performance-sheets", PerformanceSheetViewSet, basename="performance-sheet")
