"""/api/v1/customers/: the same scope and masking as the pages; archive keepers and heads may create."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from wealthdesk.core.api import CustomerDataPermission, ScopedViewSetMixin, StrictFieldsMixin, router
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.drf import KeysetPagination
from wealthdesk.core.scoping import scope_for, sees_balances
from wealthdesk.core.serializers import MaskedField
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors, services
from .choices import Tier
from .models import Customer

MONEY_FIELDS = ("aum", "aum_avg", "aum_as_of")


class CustomerSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True)
    id_number = MaskedField("id_number", max_length=32)
    mobile = MaskedField("mobile", max_length=11, required=False, allow_blank=True)
    address = MaskedField("address", max_length=200, required=False, allow_blank=True)
    client_manager_name = serializers.CharField(source="client_manager.full_name", read_only=True, default="")
    center_name = serializers.CharField(source="center.name", read_only=True)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    center = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    client_manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), allow_null=True,
                                                        required=False)

    class Meta:
        model = Customer
        fields = ["id", "cif_no", "name", "gender", "birth_date", "id_type", "id_number", "mobile", "address",
                  "occupation", "tier", "tier_display", "risk_level", "client_manager", "client_manager_name",
                  "center", "center_name", "status", "aum", "aum_avg", "aum_as_of", "version"]
        read_only_fields = ["aum", "aum_avg", "aum_as_of"]
        validators = []  # uniqueness is checked by the service's full_clean, with Chinese messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["center"].queryset = OrgUnit.objects.visible_to(request.user).centers()
            self.fields["client_manager"].queryset = User.objects.visible_to(request.user)
            if not sees_balances(request.user):  # R29: the archive keeper keeps records, not AUM
                for name in MONEY_FIELDS:
                    self.fields.pop(name, None)


class CustomerUpdateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """PATCH: the master fields the caller may change (``services.editable_fields``) and the version they read.
    Masked fields are written in clear and answered masked."""

    version = serializers.IntegerField(min_value=1)

    class Meta:
        model = Customer
        fields = [*services.MASTER_FIELDS, "tier", "version"]
        extra_kwargs = {"cif_no": {"validators": []}}
        validators = []  # uniqueness: the service's full_clean, with Chinese messages


class ReassignSerializer(StrictFieldsMixin, serializers.Serializer):
    to_manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), label="新客户经理")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["to_manager"].queryset = User.objects.visible_to(request.user)


class BulkReassignSerializer(StrictFieldsMixin, serializers.Serializer):
    from_manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    to_managers = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), many=True, allow_empty=False)
    tiers = serializers.ListField(child=serializers.ChoiceField(choices=Tier.choices), allow_empty=False)
    balance = serializers.ChoiceField(choices=list(services.BALANCE_CHOICES), default="count")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    dry_run = serializers.BooleanField(default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            managers = User.objects.visible_to(request.user)
            self.fields["from_manager"].queryset = managers
            self.fields["to_managers"].child_relation.queryset = managers


def _plan_out(plan: dict) -> dict:
    return {"assigned": {str(m): [c.pk for c in group] for m, group in plan.items()},
            "total": sum(len(g) for g in plan.values())}


@extend_schema_view(list=extend_schema(summary="客户列表（脱敏）"), retrieve=extend_schema(summary="客户详情（脱敏）"),
                    partial_update=extend_schema(summary="修改客户资料（带版本号）", request=CustomerUpdateSerializer))
class CustomerViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.ReadOnlyModelViewSet):
    serializer_class = CustomerSerializer
    pagination_class = KeysetPagination  # keyset pages (core.keyset): deep pages as fast as the first
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [permissions.IsAuthenticated, CustomerDataPermission]
    filterset_fields = ["tier", "client_manager", "center", "status"]

    def get_queryset(self):
        p = self.request.query_params
        return selectors.customer_list(self.request.user, q=p.get("q", ""), sort=p.get("sort", ""))

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=self.get_object())
        return response

    def partial_update(self, request, *args, **kwargs):
        customer = self.get_object()
        if not services.editable_fields(request.user, customer):
            raise PermissionDenied("您无权修改该客户的资料。")
        data = CustomerUpdateSerializer(instance=customer, data=request.data, partial=True,
                                        context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "version" not in fields:
            raise serializers.ValidationError({"version": ["请提供读取时的版本号 version。"]})
        version = fields.pop("version")
        try:
            customer = services.customer_update(actor=request.user, customer=customer, version=version, **fields)
        except DjangoValidationError as exc:
            code = status.HTTP_409_CONFLICT if "version" in exc.message_dict else status.HTTP_400_BAD_REQUEST
            return Response(exc.message_dict, status=code)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(CustomerSerializer(customer, context=self.get_serializer_context()).data)

    @extend_schema(summary="移交客户（更换负责客户经理）", request=ReassignSerializer, responses=CustomerSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        customer = self.get_object()
        if not services.can_reassign(request.user):
            raise PermissionDenied("只有理财中心负责人和上级机构客户服务岗位可以移交客户。")
        body = ReassignSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        try:
            customer = services.customer_reassign(actor=request.user, customer=customer, **body.validated_data)
        except DjangoValidationError as exc:
            code = status.HTTP_409_CONFLICT if "version" in exc.message_dict else status.HTTP_400_BAD_REQUEST
            return Response(exc.message_dict, status=code)
        return Response(CustomerSerializer(customer, context=self.get_serializer_context()).data)

    @extend_schema(summary="批量移交客户（按级别，按客户数或资产均衡）", request=BulkReassignSerializer)
    @action(detail=False, methods=["post"], url_path="reassign-bulk")
    def reassign_bulk(self, request):
        if not services.can_reassign(request.user):
            raise PermissionDenied("只有理财中心负责人和上级机构客户服务岗位可以移交客户。")
        body = BulkReassignSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            if d["dry_run"]:
                errors = services._bulk_errors(request.user, d["from_manager"], d["to_managers"], d["tiers"],
                                               d["balance"])
                if errors:
                    raise DjangoValidationError(errors)
                candidates = services.bulk_candidates(request.user, d["from_manager"], d["tiers"])
                plan = services.plan_reassignment(candidates, d["to_managers"], balance=d["balance"],
                                                  loads=services.manager_loads(d["to_managers"]))
                return Response({"dry_run": True, **_plan_out(plan)})
            plan = services.customers_reassign_bulk(actor=request.user, from_manager=d["from_manager"],
                                                    to_managers=d["to_managers"], tiers=d["tiers"],
                                                    balance=d["balance"], reason=d["reason"])
        except DjangoValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"dry_run": False, **_plan_out(plan)})

    def perform_create(self, serializer):
        if not scope_for(self.request.user).has(*services.CUSTOMER_WRITERS):
            raise PermissionDenied("您的岗位无权录入客户。")
        try:
            serializer.instance = services.customer_create(actor=self.request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None


router.register("customers", CustomerViewSet, basename="customer")
