"""/api/v1/customers/: the same scope and masking as the pages; archive keepers and heads may create."""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from wealthdesk.core.api import CustomerDataPermission, ScopedViewSetMixin, StrictFieldsMixin, router
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.scoping import scope_for, sees_balances
from wealthdesk.core.serializers import MaskedField
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors, services
from .models import Customer

MONEY_FIELDS = ("aum", "aum_avg", "aum_as_of")


class CustomerSerializer(StrictFieldsMixin, serializers.ModelSerializer):
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
                  "center", "center_name", "status", "aum", "aum_avg", "aum_as_of"]
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


@extend_schema_view(list=extend_schema(summary="客户列表（脱敏）"), retrieve=extend_schema(summary="客户详情（脱敏）"))
class CustomerViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CustomerSerializer
    permission_classes = [permissions.IsAuthenticated, CustomerDataPermission]
    filterset_fields = ["tier", "client_manager", "center", "status"]

    def get_queryset(self):
        p = self.request.query_params
        return selectors.customer_list(self.request.user, q=p.get("q", ""), sort=p.get("sort", ""))

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=self.get_object())
        return response

    def perform_create(self, serializer):
        if not scope_for(self.request.user).has(*services.CUSTOMER_WRITERS):
            raise PermissionDenied("您的岗位无权录入客户。")
        try:
            serializer.instance = services.customer_create(actor=self.request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None


router.register("customers", CustomerViewSet, basename="customer")
