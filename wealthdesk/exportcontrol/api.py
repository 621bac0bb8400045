"""/api/v1/export-requests/ (issue 15; GB/T 35273 §7.1): list (``?box=inbox`` for the requests one decides on),
read, create (the export's URL and a reason), approve, refuse, download (the file, once). Same scope, rules and
services as the pages."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, StrictFieldsMixin, VersionInputMixin, router, service_error

from . import selectors, services
from .models import ExportRequest
from .replay import MAX_URL


class ExportRequestSerializer(serializers.ModelSerializer):
    requester_name = serializers.CharField(source="requester.__str__", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decided_by_name = serializers.SerializerMethodField()
    url = serializers.CharField(source="shown_url", read_only=True)
    filters = serializers.DictField(source="shown_filters", child=serializers.CharField(), read_only=True)

    class Meta:
        model = ExportRequest
        fields = ["id", "requester", "requester_name", "unit", "unit_name", "title", "url", "filters", "rows",
                  "reason", "status", "status_display", "requested_at", "decided_by", "decided_by_name",
                  "decided_at", "comment", "download_until", "downloaded_at", "version"]
        read_only_fields = fields

    def get_decided_by_name(self, obj) -> str:
        return str(obj.decided_by) if obj.decided_by_id else ""


class CreateSerializer(StrictFieldsMixin, serializers.Serializer):
    url = serializers.CharField(label=_("导出链接"), max_length=MAX_URL,
                                help_text=_("导出页面的地址（含筛选条件），如 /contacts/export/?kind=call"))
    reason = serializers.CharField(label=_("导出理由"), max_length=services.MAX_TEXT, allow_blank=True)


class DecisionSerializer(StrictFieldsMixin, VersionInputMixin):
    comment = serializers.CharField(label=_("审批意见"), max_length=services.MAX_TEXT, required=False,
                                    allow_blank=True)


class RefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()


BOX = OpenApiParameter("box", str, enum=["mine", "inbox"], required=False,
                       description=str(_("mine：本人的申请；inbox：待本人审批的申请；不填：可见的全部申请")))


@extend_schema_view(list=extend_schema(parameters=[BOX]))
class ExportRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExportRequestSerializer
    permission_classes = [HasRole]
    allowed_roles = None

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return ExportRequest.objects.visible_to(user).select_related("requester", "unit", "decided_by")
        box = self.request.query_params.get("box", "")
        if box not in ("", "mine", "inbox"):
            raise serializers.ValidationError({"box": [_("只能是 mine 或 inbox。")]})
        if box == "mine":
            return selectors.my_requests(user)
        if box == "inbox":
            return selectors.inbox(user, status="all")
        return ExportRequest.objects.visible_to(user).select_related("requester", "unit", "decided_by")

    @extend_schema(request=CreateSerializer, responses={201: ExportRequestSerializer})
    def create(self, request):
        data = CreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            req = services.request_export(request, actor=request.user, url=data.validated_data["url"],
                                          reason=data.validated_data["reason"])
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        return Response(self.get_serializer(req).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, approve: bool):
        req = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.decide(actor=request.user, req=req, approve=approve,
                            comment=data.validated_data.get("comment", ""),
                            version=data.validated_data.get("version"))
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        req.refresh_from_db()
        return Response(self.get_serializer(req).data)

    @extend_schema(request=DecisionSerializer, responses={200: ExportRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=DecisionSerializer, responses={200: ExportRequestSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, False)

    @extend_schema(request=None, responses={
        (200, "application/octet-stream"): OpenApiTypes.BINARY,
        403: OpenApiResponse(RefusedSerializer), 410: OpenApiResponse(RefusedSerializer)})
    @action(detail=True, methods=["post"])
    def download(self, request, pk=None):
        req = self.get_object()
        try:
            return services.download(request, actor=request.user, req=req)
        except services.DownloadRefused as refused:
            return Response({"detail": refused.message}, status=refused.status)


router.register("export-requests", ExportRequestViewSet, basename="export-request")
