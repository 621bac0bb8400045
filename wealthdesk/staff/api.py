"""/api/v1/staff/ (scoped). The token endpoint, /api/v1/auth/token/, is the security app's (two factors)."""
from rest_framework import serializers, viewsets

from wealthdesk.core.api import router

from .models import User


class StaffSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "employee_no", "unit", "unit_name", "team", "roles", "is_active"]

    def get_roles(self, obj) -> list[str]:
        return sorted(a.role for a in obj.role_assignments.all())


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StaffSerializer
    filterset_fields = ["unit", "team", "is_active"]

    def get_queryset(self):
        return (User.objects.visible_to(self.request.user).select_related("unit")
                .prefetch_related("role_assignments").order_by("id"))


router.register("staff", StaffViewSet, basename="staff")
