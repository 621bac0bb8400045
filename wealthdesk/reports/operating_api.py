"""/api/v1/operating-reports/ — the centers' operating reports (R35, monthly ``operating`` or quarterly
``operating_quarterly``): list (``kind``, ``period``, ``status``), detail, and ``centers``: for one period, every
center of the caller's subtree with its report's state, so that the levels above see who has submitted.
Drafting, editing and submitting go through /api/v1/reports/ (the one chain); the same scope and masking."""
from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action

from wealthdesk.core.api import HasRole, ScopedViewSetMixin, router
from wealthdesk.core.roles import UPPER_LEVEL, Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.submission import (
    ARRIVED,
    SubmissionStatus,
    get_kind,
    parse_period,
    period_label,
    previous_period_start,
)
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from .api import ReportSerializer
from .kinds import OPERATING_KINDS, SPECS
from .models import Report

BOARD_ROLES = frozenset({Role.CENTER_HEAD} | UPPER_LEVEL) - {Role.QUALITY_MANAGER}


class CenterStateSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="center id")
    name = serializers.CharField()
    period = serializers.CharField()
    report = serializers.IntegerField(allow_null=True, help_text="report id, if one exists")
    status = serializers.CharField(help_text="missing / draft / submitted / received / shared")
    submitted = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()


def _kind(params) -> str:
    kind = params.get("kind") or OPERATING_KINDS[0]
    if kind not in OPERATING_KINDS:
        raise serializers.ValidationError({"kind": ["报告种类只能是 operating（月度）或 operating_quarterly（季度）。"]})
    return kind


def _period(kind: str, value: str | None):
    spec = SPECS[kind]
    if not value:
        return previous_period_start(spec.period, timezone.localdate())
    try:
        start = parse_period(spec.period, value)
    except ValueError as exc:
        raise serializers.ValidationError({"period": [str(exc)]}) from None
    if start > timezone.localdate():
        raise serializers.ValidationError({"period": ["该期间尚未开始。"]})
    return start


KIND = OpenApiParameter("kind", str, enum=list(OPERATING_KINDS))
PERIOD = OpenApiParameter("period", str, description="2026-11 / 2026Q3（默认上一个已结束的期间）")


@extend_schema_view(
    list=extend_schema(summary="网点运营状况报告列表", parameters=[
        KIND, OpenApiParameter("period", str), OpenApiParameter("status", str,
                                                                enum=["draft", "submitted", "received", "shared"])]),
    retrieve=extend_schema(summary="网点运营状况报告详情"))
class OperatingReportViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = BOARD_ROLES
    scoped_model = Report
    serializer_class = ReportSerializer

    def get_queryset(self):
        p = self.request.query_params
        qs = super().get_queryset().filter(kind__in=OPERATING_KINDS) \
            .select_related("unit", "author", "receiver_unit").order_by("-period_start", "unit_id", "id")
        if self.action != "list":
            return qs
        if p.get("kind"):
            qs = qs.filter(kind=_kind(p))
        if p.get("period"):
            qs = qs.filter(period_start=_period(_kind(p), p["period"]))
        if p.get("status"):
            if p["status"] not in SubmissionStatus.values:
                raise serializers.ValidationError({"status": ["状态只能是 draft、submitted、received 或 shared。"]})
            qs = qs.filter(status=p["status"])
        return qs

    @extend_schema(summary="下辖理财中心的报送情况（谁已报送）", parameters=[KIND, PERIOD],
                   responses=CenterStateSerializer(many=True))
    @action(detail=False, methods=["get"])
    def centers(self, request):
        kind = _kind(request.query_params)
        start = _period(kind, request.query_params.get("period"))
        scope = scope_for(request.user)
        centers = OrgUnit.objects.filter(path__startswith=scope.unit_path, kind=UnitKind.CENTER,
                                         is_active=True).order_by("path", "id") if scope.unit_path else \
            OrgUnit.objects.none()
        page = self.paginate_queryset(centers)
        ids = [c.pk for c in page]
        reports = {r.unit_id: r for r in Report.objects.filter(kind=kind, period_start=start, unit_id__in=ids,
                                                               author__isnull=True)}
        label = period_label(SPECS[kind].period, start)
        overdue = timezone.localdate() > get_kind(kind).due_on(start)
        rows = []
        for c in page:
            r = reports.get(c.pk)
            visible = r is not None and (r.status in ARRIVED or r.unit_id == scope.unit_id)
            rows.append({"id": c.pk, "name": c.name, "period": label, "report": r.pk if visible else None,
                         "status": (r.status if visible else "missing") if r else "missing",
                         "submitted": bool(r and r.status in ARRIVED),
                         "submitted_at": r.submitted_at if r and r.status in ARRIVED else None,
                         "late": bool(r.is_late) if r and r.status in ARRIVED else overdue})
        return self.get_paginated_response(CenterStateSerializer(rows, many=True).data)


router.register("operating-reports", OperatingReportViewSet, basename="operating-report")
