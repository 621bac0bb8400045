"""/api/v1/imports/, /api/v1/products/, /api/v1/holdings/, /api/v1/transactions/ (R8): same scope as the pages."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from wealthdesk.core.api import CustomerDataPermission, HasRole, ScopedViewSetMixin, StrictFieldsMixin, router
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.core.drf import KeysetPagination
from wealthdesk.core.serializers import MaskedField

from . import selectors, services
from .choices import ImportKind
from .forms import too_large_message
from .models import Holding, ImportBatch, Product, Transaction


class ImportBatchSerializer(serializers.ModelSerializer):
    created_by_name = serializers.CharField(source="created_by.username", read_only=True, default="")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "kind_display", "file_name", "content_hash", "as_of", "status", "status_display",
                  "skip_bad_rows", "rows_total", "rows_loaded", "rows_skipped", "rows_rejected", "errors",
                  "created_by", "created_by_name", "created_at", "rolled_back_at", "followup_status", "followup_error"]
        read_only_fields = fields


class ImportUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices, label="数据类型")
    file = serializers.FileField(label="文件")
    as_of = SaneDateSerializerField(required=False, allow_null=True, label="数据日期")
    skip_bad_rows = serializers.BooleanField(required=False, default=False, label="跳过错误行")

    def validate_file(self, upload):
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise serializers.ValidationError("文件类型不支持：请上传 .csv 或 .xlsx 文件。")
        message = too_large_message(upload.size)
        if message:
            raise serializers.ValidationError(message)
        return upload


@extend_schema_view(list=extend_schema(summary="导入批次列表"), retrieve=extend_schema(summary="导入批次详情（含错误明细）"))
class ImportBatchViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Batches in the loader's scope; POST uploads a file (multipart) and answers with the batch."""

    serializer_class = ImportBatchSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = services.BATCH_VIEWERS
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return ImportBatch.objects.visible_to(self.request.user).select_related("created_by")

    @extend_schema(request=ImportUploadSerializer, responses=ImportBatchSerializer, summary="上传文件并导入")
    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            batch, created = services.import_run(
                actor=request.user, kind=data["kind"], data=data["file"].read(), file_name=data["file"].name,
                as_of=data.get("as_of"), skip_bad_rows=data.get("skip_bad_rows", False), source="api")
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        body = ImportBatchSerializer(batch).data
        body["created"] = created
        if not created:
            return Response(body, status=status.HTTP_200_OK)
        code = status.HTTP_201_CREATED if batch.status == "loaded" else status.HTTP_400_BAD_REQUEST
        return Response(body, status=code)

    @extend_schema(request=None, responses=ImportBatchSerializer, summary="回滚批次")
    @action(detail=True, methods=["post"])
    def rollback(self, request, pk=None):
        batch = self.get_object()
        try:
            batch = services.batch_rollback(actor=request.user, batch=batch)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(ImportBatchSerializer(batch).data)

    @extend_schema(request=None, responses=ImportBatchSerializer, summary="重新执行导入后的后续处理（级别重算、预警扫描）")
    @action(detail=True, methods=["post"])
    def followup(self, request, pk=None):
        batch = self.get_object()
        try:
            batch = services.batch_followup_rerun(actor=request.user, batch=batch)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(ImportBatchSerializer(batch).data)


class ProductSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "code", "name", "kind", "kind_display", "risk_level", "term_days", "maturity_date", "issuer",
                  "is_active"]


@extend_schema_view(list=extend_schema(summary="产品列表"), retrieve=extend_schema(summary="产品详情"))
class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """Products are reference data (no customer data): any signed-in staff member may read them."""

    serializer_class = ProductSerializer
    filterset_fields = ["kind", "risk_level", "is_active"]

    def get_queryset(self):
        return selectors.product_list(q=self.request.query_params.get("q", ""))


class HoldingSerializer(serializers.ModelSerializer):
    account_no = MaskedField("account", read_only=True)
    product_code = serializers.CharField(source="product.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    product_kind = serializers.CharField(source="product.kind", read_only=True)

    class Meta:
        model = Holding
        fields = ["id", "customer", "product", "product_code", "product_name", "product_kind", "account_no", "amount",
                  "start_date", "maturity_date", "batch"]


class TransactionSerializer(serializers.ModelSerializer):
    account_no = MaskedField("account", read_only=True)
    product_code = serializers.CharField(source="product.code", read_only=True, default=None)

    class Meta:
        model = Transaction
        fields = ["id", "external_id", "customer", "account_no", "occurred_at", "amount", "direction", "channel",
                  "counterparty_kind", "product", "product_code", "batch"]


class _CustomerDataViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, CustomerDataPermission]
    money_data = True  # holdings, transactions, balances: the archive keeper gets 403 (R29)
    # keyset pages with the bounded count (core.keyset): an exact COUNT over the bank's millions of holdings and
    # transactions cost head office seconds; page 200 now costs what page 1 costs
    pagination_class = KeysetPagination

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=obj, customer_id=obj.customer_id)
        return Response(self.get_serializer(obj).data)


@extend_schema_view(list=extend_schema(summary="持仓列表"), retrieve=extend_schema(summary="持仓详情"))
class HoldingViewSet(_CustomerDataViewSet):
    serializer_class = HoldingSerializer
    filterset_fields = ["customer", "product"]

    def get_queryset(self):
        return selectors.holding_list(self.request.user).order_by("id")


@extend_schema_view(list=extend_schema(summary="交易流水列表"), retrieve=extend_schema(summary="交易流水详情"))
class TransactionViewSet(_CustomerDataViewSet):
    serializer_class = TransactionSerializer
    filterset_fields = ["customer", "direction", "channel", "counterparty_kind"]

    def get_queryset(self):
        return selectors.transaction_list(self.request.user)


router.register("imports", ImportBatchViewSet, basename="import")
router.register("products", ProductViewSet, basename="product")
router.register("holdings", HoldingViewSet, basename="holding")
router.register("transactions", TransactionViewSet, basename="transaction")
