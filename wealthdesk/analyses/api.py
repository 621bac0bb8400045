"""GET /api/v1/analyses/?kind=&period=&unit= — the six semiannual analyses (R36) of a unit and half-year, with
the same roles, scope (unit outside the subtree → 404) and masking as the pages. One row per analysis."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets

from wealthdesk.core.access_audit import audit_list_view
from wealthdesk.core.api import HasRole, router

from . import selectors, services
from .choices import AnalysisKind
from .models import AnalysisNarrative
from .periods import PeriodError, data_start, parse_half
from .selectors.base import Result


class AnalysisQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AnalysisKind.choices, required=False, allow_blank=True,
                                   error_messages={"invalid_choice": "分析种类“{input}”不存在。"})
    period = serializers.CharField(required=False, allow_blank=True, max_length=10)
    unit = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def validate_period(self, value):
        try:
            return parse_half(value, today=timezone.localdate(), first_day=data_start())
        except PeriodError as exc:
            raise serializers.ValidationError(str(exc)) from None


class AnalysisFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField()


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    customer_ids = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    note = serializers.CharField(allow_blank=True)


class AnalysisSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="kind:unit:period")
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    period = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)
    empty = serializers.CharField(allow_blank=True, help_text="为空表示有数据；否则说明为何没有数据")
    figures = AnalysisFigureSerializer(many=True)
    tables = TableSerializer(many=True)
    charts = serializers.DictField(child=serializers.JSONField())
    narrative = serializers.CharField(allow_blank=True)
    narrative_version = serializers.IntegerField(allow_null=True)


class AnalysisViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = selectors.READER_ROLES
    serializer_class = AnalysisSerializer
    queryset = AnalysisNarrative.objects.none()  # for the schema only: rows are computed, not read from a table

    @extend_schema(summary="半年度分析（六项）", parameters=[
        OpenApiParameter("kind", str, enum=AnalysisKind.values, description="分析种类；不填则六项全部"),
        OpenApiParameter("period", str, description="半年度，如 2026H1；不填为当前半年度"),
        OpenApiParameter("unit", int, description="机构编号；不填为本人所在机构")])
    def list(self, request):
        query = AnalysisQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        unit = selectors.unit_for(request.user, data.get("unit"))
        period = data.get("period") or parse_half("", today=timezone.localdate())
        kinds = [data["kind"]] if data.get("kind") else AnalysisKind.values
        page = self.paginate_queryset(kinds)
        narratives = selectors.narratives(request.user, unit, period)
        rows = []
        for kind in page:
            snap = services.snapshot_read(request.user, kind, unit, period)
            result = selectors.stored_result(request.user, snap, unit, period)
            if result is None:  # being computed by a worker: the row says so
                result = Result(kind=kind, empty=_("该分析正在计算中（任务 #%(job)s），请稍后再试。") % {"job": snap.job_id})
            note = narratives.get(kind)
            rows.append({"id": f"{kind}:{unit.pk}:{period.label}", "kind": kind,
                         "kind_display": str(AnalysisKind(kind).label), "unit": unit.pk, "unit_name": unit.name,
                         "period": period.label, **result.as_dict(), "as_of": result.as_of,
                         "narrative": note.body if note else "", "narrative_version": note.version if note else None})
        audit_list_view(request, what="AnalysisViewSet", count=len(rows))
        return self.get_paginated_response(AnalysisSerializer(rows, many=True).data)


router.register("analyses", AnalysisViewSet, basename="analysis")
