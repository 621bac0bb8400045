"""/api/v1/needs-cards/, needs-questions/, surveys/, survey-responses/, opinions/: the pages' scope, in JSON."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import (
    CustomerDataPermission,
    HasRole,
    ScopedViewSetMixin,
    StrictFieldsMixin,
    VersionInputMixin,
    router,
    service_error,
)
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.core.drf import KeysetPagination
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import User

from . import selectors, services
from .choices import AnswerRoute, NeedCategory, SurveyQuestionKind
from .models import SURVEY_ROLES, NeedsCard, NeedsQuestion, NeedsSummary, Opinion, Survey, SurveyReport, SurveyResponse
from .views.opinions import INBOX_ROLES
from .views.reports import REPORT_READERS


def service_call(fn, **kwargs):
    """Run a service; its Django ValidationError becomes a 400 naming the fields."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        raise service_error(exc) from None


@extend_schema_field(OpenApiTypes.INT)
class ScopedCustomerField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Customer.objects.visible_to(self.context["request"].user)


# --- needs cards and questions -------------------------------------------------------------------------------

class NeedsQuestionSerializer(serializers.ModelSerializer):
    route_display = serializers.CharField(source="get_route_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    target_unit_name = serializers.CharField(source="target_unit.name", read_only=True)
    assignee_name = serializers.CharField(source="assignee.full_name", read_only=True, default="")
    customer_name = serializers.CharField(source="card.customer.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = NeedsQuestion
        fields = ["id", "card", "customer_name", "asked_on", "text", "route", "route_display", "target_unit",
                  "target_unit_name", "assignee", "assignee_name", "due_on", "status", "status_display", "answer",
                  "answered_by", "answered_on", "told_on", "told_by", "overdue", "version"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class QuestionInputSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=500)
    route = serializers.ChoiceField(choices=AnswerRoute.choices)
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    asked_on = SaneDateSerializerField(required=False)
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False,
                                                  allow_null=True)


class QuestionCreateSerializer(QuestionInputSerializer):
    card = serializers.PrimaryKeyRelatedField(queryset=NeedsCard.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["card"].queryset = NeedsCard.objects.visible_to(request.user)


class NeedItemSerializer(StrictFieldsMixin, serializers.Serializer):
    category = serializers.ChoiceField(choices=NeedCategory.choices)
    detail = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class NeedsCardSerializer(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    center_name = serializers.CharField(source="center.name", read_only=True)
    client_manager_name = serializers.CharField(source="client_manager.full_name", read_only=True)
    needs = serializers.SerializerMethodField()
    questions = NeedsQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = NeedsCard
        fields = ["id", "customer", "customer_name", "center", "center_name", "client_manager", "client_manager_name",
                  "card_date", "notes", "remarks", "needs", "questions"]
        read_only_fields = fields

    def get_needs(self, obj) -> list[dict]:
        return card_needs(obj)


def card_needs(card) -> list[dict]:
    return [{"category": i.category, "label": i.get_category_display(), "detail": i.detail} for i in card.items.all()]


class NeedsCardListSerializer(serializers.ModelSerializer):
    """A row of the needs-card list: the card and its needs, the questions as two counts (``questions_count``,
    ``pending_count``: not yet told to the customer); the questions themselves are on the detail
    ``/api/v1/needs-cards/{id}/`` (issue 16: nested questions with their people were most of the list's time)."""

    customer_name = serializers.CharField(source="customer.name", read_only=True)
    center_name = serializers.CharField(source="center.name", read_only=True)
    client_manager_name = serializers.CharField(source="client_manager.full_name", read_only=True)
    needs = serializers.SerializerMethodField()
    questions_count = serializers.IntegerField(source="n_questions", read_only=True, help_text=_("问题数"))
    pending_count = serializers.IntegerField(source="n_pending", read_only=True, help_text=_("尚未告知客户的问题数"))

    class Meta:
        model = NeedsCard
        fields = ["id", "customer", "customer_name", "center", "center_name", "client_manager", "client_manager_name",
                  "card_date", "notes", "remarks", "needs", "questions_count", "pending_count"]
        read_only_fields = fields

    def get_needs(self, obj) -> list[dict]:
        return card_needs(obj)


class NeedsCardCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    customer = ScopedCustomerField()
    card_date = SaneDateSerializerField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    needs = NeedItemSerializer(many=True)
    questions = QuestionInputSerializer(many=True, required=False)


@extend_schema_view(list=extend_schema(summary="客户需求卡列表（问题数；问题明细见详情）"),
                    retrieve=extend_schema(summary="客户需求卡详情（含问题）"))
class NeedsCardViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NeedsCardSerializer
    pagination_class = KeysetPagination  # keyset pages and the bounded count (core.keyset), as the page
    permission_classes = [permissions.IsAuthenticated, CustomerDataPermission]

    def get_serializer_class(self):
        return {"create": NeedsCardCreateSerializer, "list": NeedsCardListSerializer}.get(self.action,
                                                                                         NeedsCardSerializer)

    def get_queryset(self):
        p = self.request.query_params
        rows = selectors.card_api_list if self.action == "list" else selectors.card_api_detail
        return rows(self.request.user, q=p.get("q", ""), category=p.get("category", ""), customer=p.get("customer", ""))

    def retrieve(self, request, *args, **kwargs):
        card = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=card)
        return Response(NeedsCardSerializer(card, context=self.get_serializer_context()).data)

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = service_call(services.card_create, actor=request.user, **data.validated_data)
        card = selectors.card_detail_queryset(request.user).get(pk=card.pk)
        return Response(NeedsCardSerializer(card, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class AnswerSerializer(StrictFieldsMixin, VersionInputMixin):
    answer = serializers.CharField()


class TellSerializer(StrictFieldsMixin, VersionInputMixin):
    told_on = SaneDateSerializerField(required=False)


@extend_schema_view(list=extend_schema(summary="客户问题（box=mine|inbox，overdue=1）"))
class NeedsQuestionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NeedsQuestionSerializer
    permission_classes = [permissions.IsAuthenticated, CustomerDataPermission]

    def get_serializer_class(self):
        return {"create": QuestionCreateSerializer, "answer": AnswerSerializer, "told": TellSerializer}.get(
            self.action, NeedsQuestionSerializer)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.question_list(self.request.user, box=p.get("box", ""), status=p.get("status", ""),
                                       overdue=p.get("overdue") == "1")

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = service_call(services.question_ask, actor=request.user, **data.validated_data)
        return Response(NeedsQuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    def _act(self, request, fn, **extra):
        question = self.get_object()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = service_call(fn, actor=request.user, question=question, **data.validated_data, **extra)
        return Response(NeedsQuestionSerializer(question).data)

    @extend_schema(summary="答复人记录答复", request=AnswerSerializer, responses=NeedsQuestionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._act(request, services.question_answer)

    @extend_schema(summary="客户经理记录已告知客户", request=TellSerializer, responses=NeedsQuestionSerializer)
    @action(detail=True, methods=["post"])
    def told(self, request, pk=None):
        return self._act(request, services.question_tell)


# --- surveys -------------------------------------------------------------------------------------------------

class SurveyQuestionSerializer(StrictFieldsMixin, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=SurveyQuestionKind.choices)
    text = serializers.CharField(max_length=300)
    options = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    required = serializers.BooleanField(required=False, default=True)


class SurveySerializer(StrictFieldsMixin, serializers.ModelSerializer):
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    questions = SurveyQuestionSerializer(many=True, required=False)

    class Meta:
        model = Survey
        fields = ["id", "title", "description", "owner_unit", "owner_unit_name", "status", "starts_on", "ends_on",
                  "questions"]
        read_only_fields = ["owner_unit", "status", "starts_on", "ends_on"]


@extend_schema_view(list=extend_schema(summary="客户调研表"))
class SurveyViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SurveySerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = SURVEY_ROLES
    scoped_model = Survey

    def get_queryset(self):
        return selectors.survey_list(self.request.user).prefetch_related("questions")

    def perform_create(self, serializer):
        serializer.instance = service_call(services.survey_create, actor=self.request.user,
                                           **serializer.validated_data)

    @extend_schema(summary="发布调研", request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        survey = service_call(services.survey_publish, actor=request.user, survey=self.get_object())
        return Response(SurveySerializer(survey).data)

    @extend_schema(summary="结束调研", request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        survey = service_call(services.survey_close, actor=request.user, survey=self.get_object())
        return Response(SurveySerializer(survey).data)


class SurveyResponseSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    customer = ScopedCustomerField()
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.none())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    answers = serializers.DictField(child=serializers.JSONField(), allow_empty=True)
    responded_on = SaneDateSerializerField(required=False)

    class Meta:
        model = SurveyResponse
        fields = ["id", "survey", "customer", "customer_name", "center", "client_manager", "responded_on", "answers"]
        read_only_fields = ["center", "client_manager"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["survey"].queryset = Survey.objects.visible_to(request.user)


@extend_schema_view(list=extend_schema(summary="调研答卷"))
class SurveyResponseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SurveyResponseSerializer
    permission_classes = [permissions.IsAuthenticated, CustomerDataPermission]
    scoped_model = SurveyResponse
    filterset_fields = ["survey", "customer"]

    def get_queryset(self):
        return SurveyResponse.objects.visible_to(self.request.user).select_related("customer") \
            .order_by("-responded_on", "-id")

    def perform_create(self, serializer):
        serializer.instance = service_call(services.response_record, actor=self.request.user,
                                           **serializer.validated_data)


# --- opinions ------------------------------------------------------------------------------------------------

class OpinionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    name = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = ["id", "unit", "unit_name", "center", "kind", "kind_display", "content", "name", "contact", "rating",
                  "status", "status_display", "assignee", "handling_note", "needs_card", "complaint_ref",
                  "created_at"]
        read_only_fields = fields

    def get_name(self, obj) -> str:
        return obj.name_masked

    def get_contact(self, obj) -> str:
        return obj.contact_masked


class OpinionAssignSerializer(StrictFieldsMixin, serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionCloseSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(summary="意见簿留言（中心收件箱）"))
class OpinionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OpinionSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = INBOX_ROLES
    scoped_model = Opinion

    def get_serializer_class(self):
        return {"assign": OpinionAssignSerializer, "close": OpinionCloseSerializer}.get(self.action, OpinionSerializer)

    def get_queryset(self):
        return selectors.opinion_list(self.request.user, status=self.request.query_params.get("status", ""))

    def _act(self, request, fn):
        opinion = self.get_object()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = service_call(fn, actor=request.user, opinion=opinion, **data.validated_data)
        return Response(OpinionSerializer(opinion).data)

    @extend_schema(summary="分派留言", request=OpinionAssignSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._act(request, services.opinion_assign)

    @extend_schema(summary="办结留言", request=OpinionCloseSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, services.opinion_close)


# --- monthly reports (read-only; the head builds and submits them on the pages) -------------------------------

class MonthlyReportSerializer(serializers.ModelSerializer):
    center_name = serializers.CharField(source="center.name", read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)


class NeedsSummarySerializer(MonthlyReportSerializer):
    class Meta:
        model = NeedsSummary
        fields = ["id", "center", "center_name", "month", "status", "figures", "commentary", "marketing_advice",
                  "product_advice", "submitted_at", "submitted_by"]
        read_only_fields = fields


class SurveyReportSerializer(MonthlyReportSerializer):
    class Meta:
        model = SurveyReport
        fields = ["id", "center", "center_name", "month", "status", "figures", "analysis", "submitted_at",
                  "submitted_by"]
        read_only_fields = fields


class MonthlyReportViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, HasRole]
    allowed_roles = REPORT_READERS

    def get_queryset(self):
        qs = self.scoped_model.objects.visible_to(self.request.user).select_related("center")
        month = self.request.query_params.get("month", "")
        if month:
            qs = qs.filter(month=selectors.parse_month(month))
        return qs.order_by("-month", "center__path")


@extend_schema_view(list=extend_schema(summary="客户需求汇总表（月）"))
class NeedsSummaryViewSet(MonthlyReportViewSet):
    scoped_model = NeedsSummary
    serializer_class = NeedsSummarySerializer


@extend_schema_view(list=extend_schema(summary="调研信息汇总报告（月）"))
class SurveyReportViewSet(MonthlyReportViewSet):
    scoped_model = SurveyReport
    serializer_class = SurveyReportSerializer


router.register("needs-summaries", NeedsSummaryViewSet, basename="needs-summary")
router.register("survey-reports", SurveyReportViewSet, basename="survey-report")
router.register("needs-cards", NeedsCardViewSet, basename="needs-card")
router.register("needs-questions", NeedsQuestionViewSet, basename="needs-question")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("survey-responses", SurveyResponseViewSet, basename="survey-response")
router.register("opinions", OpinionViewSet, basename="opinion")
