"""/api/v1/contacts/ and /api/v1/appointments/: the same scope, masking and services as the pages."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import CustomerDataPermission, HasRole, ScopedViewSetMixin, StrictFieldsMixin, router
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.drf import KeysetPagination
from wealthdesk.customers.models import Customer

from . import selectors, services
from .models import Appointment, ContactRecord


class _CustomerField(serializers.PrimaryKeyRelatedField):
    """Customers in the caller's scope only; an unknown or out-of-scope id is a 400 on ``customer``."""

    default_error_messages = {"does_not_exist": _("客户不存在或不在您的管辖范围内。"),
                              "incorrect_type": _("请填写客户编号（数字）。")}

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Customer.objects.none()
        return Customer.objects.visible_to(request.user)


class ContactSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    customer = _CustomerField()
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    staff_name = serializers.CharField(source="staff.__str__", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ContactRecord
        fields = ["id", "customer", "customer_name", "staff", "staff_name", "kind", "kind_display", "contacted_at",
                  "place", "purpose", "content", "response", "next_step", "next_contact_on", "source"]
        read_only_fields = ["staff"]


class AppointmentSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    customer = _CustomerField()
    customer_name = serializers.CharField(source="customer.name", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "customer", "customer_name", "staff", "kind", "planned_at", "place", "purpose", "status",
                  "contact"]
        read_only_fields = ["staff", "status", "contact"]


def _save(call):
    try:
        return call()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from None


class _Writes:
    def get_permissions(self):
        perms = [permissions.IsAuthenticated(), CustomerDataPermission()]
        if self.action not in ("list", "retrieve"):
            perms.append(HasRole())
        return perms


@extend_schema_view(list=extend_schema(summary="客户维护记录列表"), retrieve=extend_schema(summary="客户维护记录详情"))
class ContactViewSet(_Writes, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ContactSerializer
    pagination_class = KeysetPagination  # keyset pages (core.keyset): deep pages as fast as the first
    allowed_roles = services.CONTACT_WRITERS
    filterset_fields = ["kind", "customer", "staff"]

    def get_queryset(self):
        return selectors.contact_list(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=obj, unit_id=obj.customer.center_id)
        return Response(self.get_serializer(obj).data)

    def perform_create(self, serializer):
        serializer.instance = _save(lambda: services.contact_create(actor=self.request.user,
                                                                    **serializer.validated_data))


@extend_schema_view(list=extend_schema(summary="客户预约列表"), retrieve=extend_schema(summary="客户预约详情"))
class AppointmentViewSet(_Writes, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AppointmentSerializer
    pagination_class = KeysetPagination  # keyset pages and the bounded count: no exact COUNT over the bank's rows
    allowed_roles = services.CONTACT_WRITERS
    filterset_fields = ["status", "customer", "staff"]

    def get_queryset(self):
        return Appointment.objects.visible_to(self.request.user).select_related("customer").order_by("planned_at", "id")

    def perform_create(self, serializer):
        serializer.instance = _save(lambda: services.appointment_create(actor=self.request.user,
                                                                        **serializer.validated_data))

    @extend_schema(request=ContactSerializer, responses=ContactSerializer, summary="完成预约并登记联系")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        appt = self.get_object()
        data = {**request.data, "customer": appt.customer_id}
        serializer = ContactSerializer(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "customer"}
        contact = _save(lambda: services.appointment_complete(actor=request.user, appointment=appt, **fields))
        return Response(ContactSerializer(contact, context=self.get_serializer_context()).data, status=201)


router.register("contacts", ContactViewSet, basename="contact")
router.register("appointments", AppointmentViewSet, basename="appointment")
