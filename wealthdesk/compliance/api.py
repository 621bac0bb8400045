"""``GET /api/v1/compliance/`` (the user's own unit) and ``GET /api/v1/compliance/<unit_id>/``: one row per rule
with due, done, overdue and the link to the overdue items, the same selector as the page."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, router

from . import selectors
from .roles import MONITOR_ROLES

_RULE_FIELDS = {
    "id": serializers.CharField(), "rule": serializers.CharField(), "label": serializers.CharField(),
    "measured": serializers.BooleanField(), "period": serializers.CharField(),
    "due": serializers.IntegerField(allow_null=True), "done": serializers.IntegerField(allow_null=True),
    "overdue": serializers.IntegerField(allow_null=True), "rate": serializers.FloatField(allow_null=True),
    "overdue_url": serializers.CharField(allow_blank=True)}
_CHILD_FIELDS = {
    "id": serializers.IntegerField(), "name": serializers.CharField(), "kind": serializers.CharField(),
    "due": serializers.IntegerField(), "done": serializers.IntegerField(), "overdue": serializers.IntegerField(),
    "rate": serializers.FloatField(allow_null=True)}
_MONITOR = inline_serializer("ComplianceMonitor", {
    "id": serializers.IntegerField(), "unit_name": serializers.CharField(), "date": serializers.DateField(),
    "centers": serializers.IntegerField(), "rules": inline_serializer("ComplianceRule", _RULE_FIELDS, many=True),
    "children": inline_serializer("ComplianceChild", _CHILD_FIELDS, many=True)})
_DATE = OpenApiParameter("date", OpenApiTypes.DATE, description="监测日期（默认今天，不能晚于今天）")


def _payload(m: dict) -> dict:
    def rule(r):
        measured = r.measured
        return {"id": r.key, "rule": r.rule, "label": r.label, "measured": measured, "period": r.period,
                "due": r.due if measured else None, "done": r.done if measured else None,
                "overdue": r.overdue if measured else None, "rate": round(r.rate, 4) if r.rate is not None else None,
                "overdue_url": r.url}

    return {"id": m["unit"].pk, "unit_name": m["unit"].name, "date": m["today"].isoformat(), "centers": m["centers"],
            "rules": [rule(r) for r in m["rows"]],
            "children": [{"id": c.unit.pk, "name": c.unit.name, "kind": c.unit.kind, "due": c.due, "done": c.done,
                          "overdue": c.overdue, "rate": round(c.rate, 4) if c.rate is not None else None}
                         for c in m["children"]]}


class ComplianceViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = MONITOR_ROLES

    @extend_schema(summary="制度执行监测（本人所在机构，一行）", parameters=[_DATE], responses=_MONITOR)
    def list(self, request):
        unit = selectors.monitor_unit(request.user, None)
        return Response([_payload(selectors.monitor(unit, selectors.as_of(request.query_params.get("date"))))])

    @extend_schema(summary="制度执行监测（下级机构）", responses=_MONITOR, parameters=[
        _DATE, OpenApiParameter("id", int, OpenApiParameter.PATH, description="机构编号（须在本人管辖范围内）")])
    def retrieve(self, request, pk=None):
        unit = selectors.monitor_unit(request.user, pk)
        return Response(_payload(selectors.monitor(unit, selectors.as_of(request.query_params.get("date")))))


router.register("compliance", ComplianceViewSet, basename="compliance")
