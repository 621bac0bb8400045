"""/api/v1/career-goals/ (set, confirm, record a quarterly review; R37) and /api/v1/trainings/ (plan, enrol,
attendance, assess; R38, R40): the same scope and services as the pages, paginated, rows carrying ``id``."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, StrictFieldsMixin, router, service_error
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors, services
from .models import CareerGoal, CareerReview, Enrolment, TrainingPlan
from .views import HEADS, PLANNERS, READERS


def _call(fn):
    try:
        return fn()
    except DjangoValidationError as exc:
        raise service_error(exc) from None


class CareerReviewSerializer(serializers.ModelSerializer):
    reviewed_by_name = serializers.CharField(source="reviewed_by.__str__", read_only=True, default="")

    class Meta:
        model = CareerReview
        fields = ["id", "quarter", "due_on", "status", "held_on", "progress", "next_steps", "reviewed_by",
                  "reviewed_by_name"]
        read_only_fields = fields


class CareerGoalSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), error_messages={
        "does_not_exist": _("所选员工不存在。")})
    staff_name = serializers.CharField(source="staff.__str__", read_only=True)
    center_name = serializers.CharField(source="center.name", read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    reviews = CareerReviewSerializer(many=True, read_only=True)

    class Meta:
        model = CareerGoal
        fields = ["id", "staff", "staff_name", "center", "center_name", "year", "goal", "alignment", "measures",
                  "head", "head_agreed_at", "staff_agreed_at", "status", "version", "reviews"]
        read_only_fields = ["center", "head", "head_agreed_at", "staff_agreed_at", "status", "version"]
        validators = []


class CareerReviewInputSerializer(StrictFieldsMixin, serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    held_on = SaneDateSerializerField()
    progress = serializers.CharField(max_length=4000)
    next_steps = serializers.CharField(required=False, allow_blank=True, max_length=4000)


@extend_schema_view(list=extend_schema(summary="职业目标列表"), retrieve=extend_schema(summary="职业目标详情（含季度回顾）"),
                    create=extend_schema(summary="负责人与员工商定年度职业目标"))
class CareerGoalViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CareerGoalSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["year", "status", "staff"]

    @property
    def allowed_roles(self):
        return HEADS if self.action in ("create", "review") else READERS

    def get_queryset(self):
        return (CareerGoal.objects.visible_to(self.request.user).select_related("staff", "center")
                .prefetch_related("reviews__reviewed_by").order_by("-year", "id"))

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = _call(lambda: services.career_goal_set(
            actor=self.request.user, staff=d["staff"], year=d["year"], goal=d.get("goal", ""),
            alignment=d.get("alignment", ""), measures=d.get("measures", "")))

    @extend_schema(request=None, responses=CareerGoalSerializer, summary="员工确认职业目标")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        goal = self.get_object()
        _call(lambda: services.career_goal_confirm(actor=request.user, goal=goal))
        return Response(self.get_serializer(self.get_queryset().get(pk=goal.pk)).data)

    @extend_schema(request=CareerReviewInputSerializer, responses=CareerReviewSerializer, summary="记录季度回顾")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        goal = self.get_object()
        body = CareerReviewInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        review = _call(lambda: services.career_review_record(
            actor=request.user, staff=goal.staff, year=goal.year, quarter=d["quarter"], held_on=d["held_on"],
            progress=d["progress"], next_steps=d.get("next_steps", "")))
        return Response(CareerReviewSerializer(review).data, status=201)


class TrainingEnrolmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "person", "person_name", "unit", "unit_name", "attendance", "score", "comment",
                  "assessed_by", "assessed_at"]
        read_only_fields = fields


class TrainingSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    audience_units = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), many=True,
                                                        error_messages={"does_not_exist": _("所选机构不存在。")})
    audience_positions = serializers.ListField(child=serializers.CharField(max_length=32), required=False,
                                               max_length=20)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    enrolled = serializers.IntegerField(read_only=True)
    present = serializers.IntegerField(read_only=True)
    assessed = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingPlan
        fields = ["id", "organizer", "organizer_name", "topic", "held_on", "trainer", "audience_units",
                  "audience_positions", "gap", "indicator_code", "status", "version", "enrolled", "present",
                  "assessed"]
        read_only_fields = ["organizer", "status", "version"]


class TrainingDetailSerializer(TrainingSerializer):
    participants = serializers.SerializerMethodField()

    class Meta(TrainingSerializer.Meta):
        fields = [*TrainingSerializer.Meta.fields, "participants"]

    @extend_schema_field(TrainingEnrolmentSerializer(many=True))
    def get_participants(self, obj):
        request = self.context["request"]
        return TrainingEnrolmentSerializer(selectors.training_participants(request.user, obj), many=True).data


class TrainingAttendanceInputSerializer(StrictFieldsMixin, serializers.Serializer):
    present = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=5000)


class TrainingAssessInputSerializer(StrictFieldsMixin, serializers.Serializer):
    enrolment = serializers.IntegerField(min_value=1)
    score = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(list=extend_schema(summary="培训计划列表"), retrieve=extend_schema(summary="培训计划详情（含参训人员）"),
                    create=extend_schema(summary="制定培训计划（自动按培训对象报名）"))
class TrainingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["status", "organizer", "held_on"]

    @property
    def allowed_roles(self):
        return PLANNERS if self.action in ("create", "attendance", "assess", "enrol") else READERS

    def get_serializer_class(self):
        return TrainingDetailSerializer if self.action == "retrieve" else TrainingSerializer

    def get_queryset(self):
        return selectors.training_list(self.request.user).order_by("-held_on", "-id")

    def perform_create(self, serializer):
        d = serializer.validated_data
        training = _call(lambda: services.training_plan(
            actor=self.request.user, topic=d.get("topic", ""), held_on=d.get("held_on"), trainer=d.get("trainer", ""),
            audience_units=d.get("audience_units", []), audience_positions=d.get("audience_positions", []),
            gap=d.get("gap", ""), indicator_code=d.get("indicator_code", "")))
        serializer.instance = self.get_queryset().get(pk=training.pk)

    def _fresh(self, pk):
        return TrainingDetailSerializer(self.get_queryset().get(pk=pk), context=self.get_serializer_context()).data

    @extend_schema(request=None, responses=TrainingDetailSerializer, summary="按培训对象补充报名")
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        training = self.get_object()
        _call(lambda: services.training_enrol(actor=request.user, training=training))
        return Response(self._fresh(training.pk))

    @extend_schema(request=TrainingAttendanceInputSerializer, responses=TrainingDetailSerializer, summary="登记出席情况")
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        training = self.get_object()
        body = TrainingAttendanceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _call(lambda: services.training_attendance(actor=request.user, training=training,
                                                   present_ids=body.validated_data["present"]))
        return Response(self._fresh(training.pk))

    @extend_schema(request=TrainingAssessInputSerializer, responses=TrainingEnrolmentSerializer, summary="登记参训人员考核结果")
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        training = self.get_object()
        body = TrainingAssessInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        enrolment = get_object_or_404(Enrolment.objects.visible_to(request.user).select_related("training", "person"),
                                      pk=d["enrolment"], training=training)
        enrolment = _call(lambda: services.enrolment_assess(actor=request.user, enrolment=enrolment, score=d["score"],
                                                            comment=d.get("comment", "")))
        return Response(TrainingEnrolmentSerializer(enrolment).data)


router.register("career-goals", CareerGoalViewSet, basename="career-goal")
router.register("trainings", TrainingViewSet, basename="training")
