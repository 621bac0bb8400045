"""/api/v1/staff/ (scoped). The token endpoint, /api/v1/auth/token/, is the security app's (two factors).

The list walks keyset pages in ``id`` order (``core.drf.KeysetPagination``: ``?cursor=`` from ``next``, the count
exact up to a bound) and reads only the columns its rows show: at head office it is the bank's 16,000 staff, and
page-number pages counted every one of them and read whole user rows (issue 16)."""
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from wealthdesk.core.api import router
from wealthdesk.core.drf import KeysetPagination

from .models import StaffRole, User

LIST_COLUMNS = ("id", "username", "full_name", "employee_no", "unit_id", "team_id", "is_active", "unit__name")


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
    pagination_class = KeysetPagination
    filterset_fields = ["unit", "team", "is_active"]

    def get_queryset(self):
        roles = StaffRole.objects.only("user_id", "role")
        return (User.objects.visible_to(self.request.user).select_related("unit").only(*LIST_COLUMNS)
                .prefetch_related(Prefetch("role_assignments", queryset=roles)).order_by("id"))


router.register("staff", StaffViewSet, basename="staff")
