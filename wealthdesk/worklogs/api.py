"""/api/v1/daily-logs/ (review and reopen as actions) and /api/v1/debriefs/: the same scope and services as the
pages. Saving a log needs the ``version`` read; a stale version answers 409."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, ScopedViewSetMixin, StrictFieldsMixin, router
from wealthdesk.core.roles import Role
from wealthdesk.staff.models import User

from . import selectors, services
from .models import DailyLog, Debrief
from .views import LOG_READERS, SUPERVISORS


class DailyLogSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.__str__", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    version = serializers.IntegerField(required=False)
    submit = serializers.BooleanField(required=False, write_only=True, default=False)

    class Meta:
        model = DailyLog
        fields = ["id", "staff", "staff_name", "center", "log_date", "status", "status_display", "version", "figures",
                  *services.LOG_FIELDS, "submit", "submitted_at", "reviewed_by", "reviewed_at", "review_comment"]
        read_only_fields = ["staff", "center", "status", "figures", "submitted_at", "reviewed_by", "reviewed_at",
                            "review_comment"]
        validators = []  # one log per day is checked by the service, with a Chinese message


class ReviewSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DebriefSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), error_messages={
        "does_not_exist": _("该员工不存在或不在您的管理范围内。")})
    staff_name = serializers.CharField(source="staff.__str__", read_only=True)

    class Meta:
        model = Debrief
        fields = ["id", "staff", "staff_name", "supervisor", "center", "debrief_date", "mode", "note"]
        read_only_fields = ["supervisor", "center"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["staff"].queryset = User.objects.visible_to(request.user)


def _call(fn):
    try:
        return fn()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from None


@extend_schema_view(list=extend_schema(summary="客户经理日志列表"), retrieve=extend_schema(summary="客户经理日志详情"))
class DailyLogViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                      viewsets.ReadOnlyModelViewSet):
    serializer_class = DailyLogSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["status", "staff", "log_date"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def allowed_roles(self):
        if self.action == "create":
            return frozenset({Role.CLIENT_MANAGER})
        if self.action in ("review", "reopen"):
            return SUPERVISORS
        return LOG_READERS

    def get_queryset(self):
        return selectors.log_list(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        submit = data.pop("submit", False)
        log = _call(lambda: services.daily_log_create(actor=self.request.user, **data))
        if submit:
            log = _call(lambda: services.daily_log_save(actor=self.request.user, log=log, version=log.version,
                                                        submit=True))
        serializer.instance = log

    def update(self, request, *args, **kwargs):
        log = self.get_object()
        serializer = self.get_serializer(log, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("请提供读取时的版本号 version。")]})
        version, submit = data.pop("version"), data.pop("submit", False)
        data.pop("log_date", None)
        try:
            log = services.daily_log_save(actor=request.user, log=log, version=version, submit=submit, **data)
        except DjangoValidationError as exc:
            code = status.HTTP_409_CONFLICT if "version" in exc.message_dict else status.HTTP_400_BAD_REQUEST
            return Response(exc.message_dict, status=code)
        return Response(self.get_serializer(log).data)

    @extend_schema(request=ReviewSerializer, responses=DailyLogSerializer, summary="批阅日志")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        log = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = _call(lambda: services.daily_log_review(actor=request.user, log=log,
                                                      comment=body.validated_data.get("comment", "")))
        return Response(self.get_serializer(log).data)

    @extend_schema(request=ReviewSerializer, responses=DailyLogSerializer, summary="退回日志修改")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        log = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = _call(lambda: services.daily_log_reopen(actor=request.user, log=log,
                                                      reason=body.validated_data.get("comment", "")))
        return Response(self.get_serializer(log).data)


@extend_schema_view(list=extend_schema(summary="每日汇报列表"), retrieve=extend_schema(summary="每日汇报详情"))
class DebriefViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DebriefSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["staff", "debrief_date", "mode"]

    @property
    def allowed_roles(self):
        return SUPERVISORS if self.action == "create" else LOG_READERS

    def get_queryset(self):
        return selectors.debrief_list(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = _call(lambda: services.debrief_record(actor=self.request.user,
                                                                    **serializer.validated_data))


router.register("daily-logs", DailyLogViewSet, basename="daily-log")
router.register("debriefs", DebriefViewSet, basename="debrief")
