"""/api/v1/org-units/: the org tree as far as the user may see it."""
from rest_framework import serializers, viewsets

from wealthdesk.core.api import router

from .models import OrgUnit


class OrgUnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "kind_display", "parent", "path", "depth", "is_active"]


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgUnitSerializer
    filterset_fields = ["kind", "parent"]

    def get_queryset(self):
        return OrgUnit.objects.visible_to(self.request.user).order_by("path")


router.register("org-units", OrgUnitViewSet, basename="org-unit")
