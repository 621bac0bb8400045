"""/api/v1/archive-documents/ (upload multipart, list, detail, download) and /api/v1/paper-files/ (list, detail,
check out, check in) — R28, R29. Scoped by ``visible_to``; names masked for who may not read them in full; the
content only through ``download`` (an attachment, audited; an ID copy needs ``reason`` and is a reveal)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wealthdesk.core.api import (
    CustomerDataPermission,
    HasRole,
    ScopedViewSetMixin,
    StrictFieldsMixin,
    VersionInputMixin,
    router,
    service_error,
)
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.core.masking import name_masker
from wealthdesk.customers.models import Customer

from . import services
from .choices import DocumentType, PaperFileStatus
from .models import ArchiveDocument, PaperFile
from .roles import METADATA_READERS, PAPER_READERS, UPLOADERS
from .views import document_response


class _MaskedCustomerName(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(source="customer.name", read_only=True, **kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return name_masker(request.user)(value) if request is not None else ""


class ArchiveDocumentSerializer(serializers.ModelSerializer):
    customer_name = _MaskedCustomerName(help_text="客户姓名（按查看人权限脱敏）")
    doc_type_display = serializers.CharField(source="get_doc_type_display", read_only=True)
    title = serializers.CharField(source="display_title", read_only=True, help_text="资料名称（身份证件复印件已脱敏）")
    uploaded_by_name = serializers.CharField(source="uploaded_by.__str__", read_only=True)
    can_download = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveDocument
        fields = ["id", "customer", "customer_name", "doc_type", "doc_type_display", "title", "file_kind",
                  "content_type", "size", "sha256", "uploaded_by", "uploaded_by_name", "created_at", "can_download"]
        read_only_fields = fields

    def get_can_download(self, obj) -> bool:
        request = self.context.get("request")
        return bool(request) and services.can_read_content(request.user, obj)


class ArchiveUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none(), label="客户",
                                                  error_messages={"does_not_exist": "该客户不在您的管辖范围内。",
                                                                  "incorrect_type": "客户编号必须是整数。"})
    doc_type = serializers.ChoiceField(choices=DocumentType.choices, label="资料类型")
    title = serializers.CharField(max_length=120, label="资料名称")
    file = serializers.FileField(label="文件", help_text="PDF、PNG 或 JPEG（按文件内容判断）",
                                 allow_empty_file=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["customer"].queryset = Customer.objects.visible_to(request.user)


class ArchiveDocumentViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             viewsets.GenericViewSet):
    """Documents in the caller's scope; ``POST`` (multipart) uploads one; ``download`` serves its content."""

    scoped_model = ArchiveDocument
    serializer_class = ArchiveDocumentSerializer
    permission_classes = [CustomerDataPermission, HasRole]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @property
    def allowed_roles(self):
        return UPLOADERS if self.action == "create" else METADATA_READERS

    def get_queryset(self):
        return super().get_queryset().listing().order_by("-created_at", "-id")

    @extend_schema(request={"multipart/form-data": ArchiveUploadSerializer}, responses={201: ArchiveDocumentSerializer},
                   summary="上传客户资料（加密归档）")
    def create(self, request, *args, **kwargs):
        data = ArchiveUploadSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            fields = dict(data.validated_data)
            document = services.document_upload(actor=request.user, upload=fields.pop("file"), **fields)
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("reason", str, required=False,
                                                description="查看原因（下载身份证件复印件时必填）")],
                   responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY,
                                                                                 description="文件（附件）")},
                   summary="下载资料（记入审计日志）")
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        if not services.can_read_content(request.user, document):
            raise PermissionDenied("您的岗位只能查看档案目录，不能下载档案内容。")
        try:
            data = services.document_open(actor=request.user, document=document,
                                          reason=request.query_params.get("reason", ""))
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return document_response(document, data)


class PaperFileSerializer(serializers.ModelSerializer):
    customer_name = _MaskedCustomerName(help_text="客户姓名（按查看人权限脱敏）")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    holder_name = serializers.SerializerMethodField()

    class Meta:
        model = PaperFile
        fields = ["id", "reference", "customer", "customer_name", "center", "description", "location", "status",
                  "status_display", "holder", "holder_name", "out_since", "due_back_on", "purpose", "version"]
        read_only_fields = fields

    def get_holder_name(self, obj) -> str:
        return str(obj.holder) if obj.holder_id else ""


class CheckOutSerializer(StrictFieldsMixin, VersionInputMixin):
    holder = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True),
                                                label="借阅人",
                                                error_messages={"does_not_exist": "借阅人须为本理财中心在岗人员。",
                                                                "incorrect_type": "借阅人编号必须是整数。"})
    purpose = serializers.CharField(max_length=200, label="借阅用途")
    due_back_on = SaneDateSerializerField(required=False, allow_null=True, label="应归还日期")


class CheckInSerializer(StrictFieldsMixin, VersionInputMixin):
    pass


class PaperFileViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Paper files in the caller's scope (``?status=in|out``, ``?overdue=1``); the keeper checks them out and in."""

    scoped_model = PaperFile
    serializer_class = PaperFileSerializer
    permission_classes = [CustomerDataPermission, HasRole]
    allowed_roles = PAPER_READERS

    def get_queryset(self):
        from django.utils import timezone

        qs = super().get_queryset().select_related("customer", "holder").order_by("reference", "id")
        if self.action != "list":
            return qs
        p = self.request.query_params
        status_ = p.get("status", "")
        if status_ and status_ not in PaperFileStatus.values:
            raise serializers.ValidationError({"status": ["只能是 in 或 out。"]})
        if p.get("overdue", "") not in ("", "0", "1"):
            raise serializers.ValidationError({"overdue": ["只能是 0 或 1。"]})
        if status_:
            qs = qs.filter(status=status_)
        if p.get("overdue") == "1":
            qs = qs.overdue(timezone.localdate())
        return qs

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=PaperFileStatus.values, required=False),
                               OpenApiParameter("overdue", str, enum=["0", "1"], required=False)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _act(self, request, serializer_class, apply):
        paper = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            apply(paper, dict(data.validated_data))
        except DjangoValidationError as exc:
            raise service_error(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        paper.refresh_from_db()
        return Response(self.get_serializer(paper).data)

    @extend_schema(request=CheckOutSerializer, responses={200: PaperFileSerializer}, summary="借出纸质档案")
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        return self._act(request, CheckOutSerializer, lambda p, d: services.paper_file_check_out(
            actor=request.user, paper_file=p, holder=d["holder"], purpose=d["purpose"],
            due_back_on=d.get("due_back_on"), version=d.get("version")))

    @extend_schema(request=CheckInSerializer, responses={200: PaperFileSerializer}, summary="归还纸质档案")
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._act(request, CheckInSerializer, lambda p, d: services.paper_file_check_in(
            actor=request.user, paper_file=p, version=d.get("version")))


router.register("archive-documents", ArchiveDocumentViewSet, basename="archive-document")
router.register("paper-files", PaperFileViewSet, basename="paper-file")
