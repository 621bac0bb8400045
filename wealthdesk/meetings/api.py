"""/api/v1/huddles/, /api/v1/meetings/, /api/v1/action-items/, /api/v1/problems/ (escalate, answer, solve,
feedback as actions): the same scope and services as the pages, paginated, rows carrying ``id``."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, StrictFieldsMixin, router
from wealthdesk.core.drf import KeysetPagination
from wealthdesk.core.roles import Role
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import Team, User

from . import problems as problem_services
from . import selectors, services
from .choices import HuddleKind, ProblemSource
from .models import ActionItem, Huddle, Meeting, Problem
from .problem_views import ANSWERERS, RAISERS
from .views import CREATORS, HOLDERS, READERS


def _call(fn):
    try:
        return fn()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict) from None


class AttendanceSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.__str__")
    status = serializers.CharField()


class HuddleSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none(), error_messages={
        "does_not_exist": _("该团队不存在或不归您管理。")})
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True)
    started_at = serializers.DateTimeField(required=False)

    class Meta:
        model = Huddle
        fields = ["id", "team", "center", "kind", "kind_display", "held_on", "started_at", "closed_at",
                  "duration_minutes", "status", "led_by", "figures", "targets", "summary", "attendance"]
        read_only_fields = ["center", "held_on", "closed_at", "status", "led_by", "figures"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["team"].queryset = selectors.visible_teams(request.user)


class HuddleListSerializer(serializers.ModelSerializer):
    """A row of the huddle list: the huddle without its attendance sheet — ``present_count`` (people present)
    and ``head_joined`` (the head sat in) instead, counted for the page's rows in SQL; the attendance, one row
    per person, is on the detail ``/api/v1/huddles/{id}/`` (issue 16: the nested rows were most of the list's
    time at a center)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    present_count = serializers.IntegerField(source="present", read_only=True, help_text=_("出席人数"))
    head_joined = serializers.SerializerMethodField(help_text=_("负责人是否列席"))

    class Meta:
        model = Huddle
        fields = ["id", "team", "center", "kind", "kind_display", "held_on", "started_at", "closed_at",
                  "duration_minutes", "status", "led_by", "figures", "targets", "summary", "present_count",
                  "head_joined"]
        read_only_fields = fields

    def get_head_joined(self, obj) -> bool:
        return bool(obj.head_joined)


class CloseSerializer(StrictFieldsMixin, serializers.Serializer):
    duration_minutes = serializers.IntegerField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(list=extend_schema(summary="晨会/夕会列表（出席人数，不含出席明细；明细见详情）"),
                    retrieve=extend_schema(summary="晨会/夕会详情（含出席明细）"),
                    create=extend_schema(summary="召开或补登记晨会/夕会（补登记需 started_at 与 duration_minutes）"))
class HuddleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = KeysetPagination  # keyset pages (core.keyset): deep pages as fast as the first
    serializer_class = HuddleSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["team", "kind", "held_on", "status"]

    @property
    def allowed_roles(self):
        return HOLDERS if self.action in ("create", "close") else READERS

    def get_serializer_class(self):
        return HuddleListSerializer if self.action == "list" else HuddleSerializer

    def get_queryset(self):
        qs = selectors.huddle_list(self.request.user)
        if self.action == "list":  # the list's rows name the team, center and leader by id only: no joins
            return qs.select_related(None)
        return qs.prefetch_related("attendance__person")

    def perform_create(self, serializer):
        d = serializer.validated_data
        if d.get("kind") not in HuddleKind.values:
            raise serializers.ValidationError({"kind": [_("请选择晨会或夕会。")]})
        if d.get("duration_minutes") is not None:
            if "started_at" not in d:
                raise serializers.ValidationError({"started_at": [_("补登记时请填写开始时间。")]})
            huddle = _call(lambda: services.huddle_record(
                actor=self.request.user, team=d["team"], kind=d["kind"], started_at=d["started_at"],
                duration_minutes=d["duration_minutes"], targets=d.get("targets", ""), summary=d.get("summary", "")))
        else:
            huddle = _call(lambda: services.huddle_open(actor=self.request.user, team=d["team"], kind=d["kind"],
                                                        started_at=d.get("started_at"), targets=d.get("targets", "")))
        serializer.instance = huddle

    @extend_schema(request=CloseSerializer, responses=HuddleSerializer, summary="结束晨会/夕会")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        huddle = self.get_object()
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        huddle = _call(lambda: services.huddle_close(actor=request.user, huddle=huddle, **body.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=huddle.pk)).data)


class ActionItemSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "meeting_title", "text", "owner", "owner_name", "due_date", "status", "done_at",
                  "done_note"]
        read_only_fields = fields


class MeetingSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.none(), required=False, allow_null=True)
    recorder = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True,
                                                  error_messages={"does_not_exist": _("记录人不存在或不在您的范围内。")})
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actions = ActionItemSerializer(many=True, read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "kind_display", "unit", "team", "held_on", "title", "chair", "recorder", "agenda",
                  "decisions", "minutes", "version", "actions"]
        read_only_fields = ["unit", "chair", "decisions", "minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["team"].queryset = selectors.visible_teams(request.user)
            self.fields["recorder"].queryset = User.objects.visible_to(request.user)


class MinutesSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField(required=False, max_length=120)
    agenda = serializers.CharField(required=False, allow_blank=True)
    decisions = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)


class NewActionSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=300, error_messages={"required": _("请填写待办事项内容。")})
    owner = serializers.IntegerField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(list=extend_schema(summary="例会记录列表（kind: team-weekly, team-monthly, subbranch-biweekly, "
                                               "branch-monthly）"),
                    retrieve=extend_schema(summary="例会记录详情"), create=extend_schema(summary="新建会议记录"))
class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = KeysetPagination  # keyset pages (core.keyset): deep pages as fast as the first
    serializer_class = MeetingSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["kind", "held_on", "unit", "team"]

    @property
    def allowed_roles(self):
        return CREATORS if self.action in ("create", "minutes", "add_action") else READERS

    def get_queryset(self):
        return selectors.meeting_list(self.request.user).prefetch_related("actions__owner")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = _call(lambda: services.meeting_create(
            actor=self.request.user, kind=d.get("kind"), held_on=d.get("held_on"), title=d.get("title", ""),
            team=d.get("team"), recorder=d.get("recorder"), agenda=d.get("agenda", "")))

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        services.meeting_mark_read(reader=request.user, meeting=meeting)
        return Response(self.get_serializer(meeting).data)

    @extend_schema(request=MinutesSerializer, responses=MeetingSerializer, summary="保存会议纪要（需 version，过期版本 409）")
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        body = MinutesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        try:
            meeting = services.meeting_save(actor=request.user, meeting=meeting, version=version, **data)
        except DjangoValidationError as exc:
            code = status.HTTP_409_CONFLICT if "version" in exc.message_dict else status.HTTP_400_BAD_REQUEST
            return Response(exc.message_dict, status=code)
        return Response(self.get_serializer(meeting).data)

    @extend_schema(request=NewActionSerializer, responses=ActionItemSerializer, summary="添加待办事项")
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request, pk=None):
        meeting = self.get_object()
        body = NewActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        owner = services.action_owner_choices(meeting).filter(pk=d.get("owner") or 0).first() if d.get("owner") else None
        if d.get("owner") and owner is None:
            raise serializers.ValidationError({"owner": [_("责任人须是参会人员或本机构员工。")]})
        item = _call(lambda: services.action_item_add(actor=request.user, meeting=meeting, text=d["text"], owner=owner,
                                                      due_date=d.get("due_date")))
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)


class DoneSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


@extend_schema_view(list=extend_schema(summary="会议待办事项列表"), retrieve=extend_schema(summary="会议待办事项详情"))
class ActionItemViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = KeysetPagination  # keyset pages (core.keyset): deep pages as fast as the first
    serializer_class = ActionItemSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = READERS
    filterset_fields = ["status", "owner", "meeting"]

    def get_queryset(self):
        return selectors.action_list(self.request.user)

    @extend_schema(request=DoneSerializer, responses=ActionItemSerializer, summary="完成待办事项")
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object()
        body = DoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = _call(lambda: services.action_item_done(actor=request.user, item=item, **body.validated_data))
        return Response(self.get_serializer(item).data)


class ProblemSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    raised_by_name = serializers.CharField(source="raised_by.__str__", read_only=True)
    fed_back_in_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Problem
        fields = ["id", "center", "title", "detail", "source", "raised_by", "raised_by_name", "raised_on", "status",
                  "status_display", "holder_unit", "escalation_state", "escalated_at", "answered_at", "answered_unit",
                  "answer", "solution", "feedback_due", "feedback_owner", "fed_back_at", "feedback_note",
                  "fed_back_in_time"]
        read_only_fields = [f for f in fields if f not in ("title", "detail")]


class EscalateSerializer(StrictFieldsMixin, serializers.Serializer):
    to_unit = serializers.IntegerField(error_messages={"required": _("请选择上报至哪个机构。")})
    note = serializers.CharField(required=False, allow_blank=True)


class TextSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(allow_blank=True)


@extend_schema_view(list=extend_schema(summary="上报问题列表"), retrieve=extend_schema(summary="上报问题详情"),
                    create=extend_schema(summary="提出问题"))
class ProblemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = KeysetPagination  # keyset pages (core.keyset): deep pages as fast as the first
    serializer_class = ProblemSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["status", "center", "source", "holder_unit"]

    @property
    def allowed_roles(self):
        return {"create": RAISERS, "escalate": frozenset({Role.CENTER_HEAD, *ANSWERERS}), "answer": ANSWERERS,
                "solve": frozenset({Role.CENTER_HEAD}), "feedback": frozenset({Role.CENTER_HEAD})
                }.get(self.action, READERS)

    def get_queryset(self):
        return selectors.problem_list(self.request.user)

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = _call(lambda: problem_services.problem_raise(
            actor=self.request.user, title=d.get("title", ""), detail=d.get("detail", ""), source=ProblemSource.OTHER))

    def _done(self, problem):
        return Response(self.get_serializer(Problem.objects.get(pk=problem.pk)).data)

    @extend_schema(request=EscalateSerializer, responses=ProblemSerializer, summary="上报（或转报上级）")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        problem = self.get_object()
        body = EscalateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to_unit = OrgUnit.objects.filter(pk=body.validated_data["to_unit"]).first()
        return self._done(_call(lambda: problem_services.problem_escalate(
            actor=request.user, problem=problem, to_unit=to_unit, note=body.validated_data.get("note", ""))))

    @extend_schema(request=TextSerializer, responses=ProblemSerializer, summary="上级答复（解决方案）")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        problem = self.get_object()
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(_call(lambda: problem_services.problem_answer(actor=request.user, problem=problem,
                                                                        answer=body.validated_data["text"])))

    @extend_schema(request=TextSerializer, responses=ProblemSerializer, summary="本中心解决")
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        problem = self.get_object()
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(_call(lambda: problem_services.problem_solve_locally(
            actor=request.user, problem=problem, solution=body.validated_data["text"])))

    @extend_schema(request=TextSerializer, responses=ProblemSerializer, summary="反馈提出人")
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        problem = self.get_object()
        body = TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(_call(lambda: problem_services.problem_feedback(actor=request.user, problem=problem,
                                                                          note=body.validated_data["text"])))


router.register("huddles", HuddleViewSet, basename="huddle")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("action-items", ActionItemViewSet, basename="action-item")
router.register("problems", ProblemViewSet, basename="problem")
