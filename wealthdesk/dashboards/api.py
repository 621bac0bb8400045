"""/api/v1/dashboards/ (the user's own unit) and /api/v1/dashboards/<unit_id>/ (a unit of their subtree, else
404), ``?period=YYYY-MM``: the unit's figures with the comparison and one row per child unit (``id`` = unit id,
drill down by asking for it) or, at a center, per client manager (R1). Same roles and scope as the page."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, router

from . import selectors


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField()
    unit = serializers.CharField(help_text="''=count, yuan, percent (a share 0–1)")
    flow = serializers.BooleanField(help_text="counted over the period (compared); otherwise the state now")
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True, help_text="same span of the previous month")
    last_year = serializers.FloatField(allow_null=True, help_text="same span of the month a year before")


class ChildSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="an org unit kind, or 'staff' for a client manager")
    figures = serializers.DictField(child=serializers.FloatField(allow_null=True))


@extend_schema_serializer(many=False)  # the own unit's dashboard is one object, not a list
class DashboardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = FigureSerializer(many=True)
    children = ChildSerializer(many=True)


def as_json(board: selectors.Dashboard) -> dict:
    return {
        "id": board.root.pk, "name": board.root.name, "kind": board.root.kind, "period": board.period.label,
        "start": board.period.start, "end": board.period.end,
        "figures": [{"key": i["figure"].key, "label": str(i["figure"].label), "group": str(i["figure"].group),
                     "unit": i["figure"].unit, "flow": i["figure"].flow, "value": i["value"],
                     "previous": i["previous"], "last_year": i["last_year"]} for i in board.comparison()],
        "children": [{"id": r.id, "name": r.name, "kind": r.kind, "figures": r.figures} for r in board.rows],
    }


PERIOD = OpenApiParameter("period", str, description="YYYY-MM（默认本月）")


class DashboardViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = selectors.DASHBOARD_ROLES

    def _answer(self, request, unit_id):
        root = selectors.root_for(request.user, unit_id)
        try:
            period = selectors.parse_period(request.query_params.get("period"))
        except selectors.PeriodError as exc:
            raise serializers.ValidationError({"period": [str(exc)]}) from None
        board = selectors.dashboard(request.user, root, period)
        return Response(DashboardSerializer(as_json(board)).data)

    @extend_schema(summary="本机构经营看板（逐级汇总）", parameters=[PERIOD], responses=DashboardSerializer)
    def list(self, request):
        return self._answer(request, None)

    @extend_schema(summary="下辖机构经营看板（下钻）", parameters=[PERIOD,
                   OpenApiParameter("id", int, OpenApiParameter.PATH, description="机构ID")],
                   responses=DashboardSerializer)
    def retrieve(self, request, pk=None):
        if not str(pk).isdigit():
            from django.http import Http404

            raise Http404
        return self._answer(request, int(pk))


router.register("dashboards", DashboardViewSet, basename="dashboard")
