"""/api/v1/staff/ (scoped) and /api/v1/auth/token/ (username + password → token)."""
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from wealthdesk.core.api import StrictFieldsMixin, router

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


class TokenRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    username = serializers.CharField(label=_("用户名"))
    password = serializers.CharField(label=_("密码"), style={"input_type": "password"}, trim_whitespace=False)


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenView(APIView):
    """Exchange a username and password for an API token. A wrong login does not say which part was wrong."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=TokenRequestSerializer,
                   responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}))
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request=request, **data.validated_data)
        if user is None or not user.is_active:
            raise serializers.ValidationError({"detail": [_("用户名或密码不正确。")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


router.register("staff", StaffViewSet, basename="staff")
