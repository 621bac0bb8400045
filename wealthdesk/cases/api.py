"""/api/v1/cases/ (open, with actions hand_up, take, answer, close), /api/v1/joint-teams/ (with plan items),
/api/v1/bulletins/ (with the action mark_received): the same scope and services as the pages, paginated, rows
carrying ``id``; customers' names masked."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import CustomerDataPermission, HasRole, StrictFieldsMixin, router, service_error
from wealthdesk.core.masking import name_masker
from wealthdesk.orgs.models import OrgUnit

from . import bulletins, joint, selectors, services
from .choices import ServiceLevel, SubjectKind
from .models import BULLETIN_READERS, BulletinIssue, Case, JointPlanItem, JointTeam
from .views import READERS


def _call(fn):
    try:
        return fn()
    except DjangoValidationError as exc:
        raise service_error(exc) from None


class CaseSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    subject_id = serializers.IntegerField(min_value=1, max_value=2**53)
    service_level = serializers.ChoiceField(choices=ServiceLevel.choices, required=False)
    title = serializers.CharField(max_length=200, allow_blank=True)
    question = serializers.CharField(max_length=4000, allow_blank=True)
    to_unit = serializers.IntegerField(required=False, allow_null=True, write_only=True, min_value=1,
                                       max_value=2**53, help_text=_("上报至（可选：开立时即上报）"))

    class Meta:
        model = Case
        fields = ["id", "center", "subject_kind", "subject_id", "title", "question", "service_level", "status",
                  "status_display", "holder_unit", "escalation_state", "owner", "opened_by", "due_on", "escalated_at",
                  "answered_at", "answered_unit", "answer", "closed_at", "close_note", "to_unit"]
        read_only_fields = ["id", "center", "status", "status_display", "holder_unit", "escalation_state", "owner",
                            "opened_by", "due_on", "escalated_at", "answered_at", "answered_unit", "answer",
                            "closed_at", "close_note"]


class CaseHandUpSerializer(StrictFieldsMixin, serializers.Serializer):
    to_unit = serializers.IntegerField(min_value=1, max_value=2**53,
                                       error_messages={"required": _("请选择上报至哪个机构。")})
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CaseTextSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=4000)


class CaseEmptySerializer(StrictFieldsMixin, serializers.Serializer):
    pass


@extend_schema_view(list=extend_schema(summary="上下联动事项列表"), retrieve=extend_schema(summary="上下联动事项详情"),
                    create=extend_schema(summary="发起上下联动事项（可同时上报）"))
class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]
    filterset_fields = ["status", "center", "subject_kind", "holder_unit"]

    @property
    def allowed_roles(self):
        return {"create": services.OPENERS, "hand_up": READERS, "take": services.ANSWER_ROLES,
                "answer": services.ANSWER_ROLES, "close": services.OPENERS}.get(self.action, READERS)

    def get_queryset(self):
        return selectors.case_list(self.request.user)

    def perform_create(self, serializer):
        d = serializer.validated_data
        to_unit = OrgUnit.objects.filter(pk=d["to_unit"]).first() if d.get("to_unit") else None
        if d.get("to_unit") and to_unit is None:
            raise serializers.ValidationError({"to_unit": [_("请选择本机构的上级机构。")]})
        serializer.instance = _call(lambda: services.case_open(
            actor=self.request.user, subject_kind=d["subject_kind"], subject_id=d["subject_id"], title=d["title"],
            question=d["question"], service_level=d.get("service_level", ServiceLevel.STANDARD), to_unit=to_unit))

    def _done(self, case):
        return Response(self.get_serializer(Case.objects.get(pk=case.pk)).data)

    @extend_schema(request=CaseHandUpSerializer, responses=CaseSerializer, summary="上报（或转报上级）")
    @action(detail=True, methods=["post"])
    def hand_up(self, request, pk=None):
        case = self.get_object()
        body = CaseHandUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        to_unit = OrgUnit.objects.filter(pk=body.validated_data["to_unit"]).first()
        return self._done(_call(lambda: services.case_hand_up(actor=request.user, case=case, to_unit=to_unit,
                                                              note=body.validated_data.get("note", ""))))

    @extend_schema(request=CaseEmptySerializer, responses=CaseSerializer, summary="受理（本级负责人）")
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        case = self.get_object()
        CaseEmptySerializer(data=request.data).is_valid(raise_exception=True)
        return self._done(_call(lambda: services.case_take(actor=request.user, case=case)))

    @extend_schema(request=CaseTextSerializer, responses=CaseSerializer, summary="答复并退回理财中心")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        case = self.get_object()
        body = CaseTextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(_call(lambda: services.case_answer(actor=request.user, case=case,
                                                             answer=body.validated_data["text"])))

    @extend_schema(request=CaseTextSerializer, responses=CaseSerializer, summary="办结")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        body = CaseTextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(_call(lambda: services.case_close(actor=request.user, case=case,
                                                            note=body.validated_data["text"])))


class JointPlanItemSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = JointPlanItem
        fields = ["id", "kind", "kind_display", "title", "planned_on", "held_on", "outcome", "lead"]
        read_only_fields = ["id", "kind_display", "held_on", "outcome", "lead"]


class JointOutcomeSerializer(StrictFieldsMixin, serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**53)
    held_on = serializers.DateField()
    outcome = serializers.CharField(allow_blank=True, max_length=4000)


class JointTeamSerializer(serializers.ModelSerializer):
    customer_name = serializers.SerializerMethodField()
    cif_no = serializers.CharField(source="customer.cif_no", read_only=True)
    center = serializers.IntegerField(source="customer.center_id", read_only=True)
    client_manager = serializers.IntegerField(source="customer.client_manager_id", read_only=True, allow_null=True)
    plan = serializers.SerializerMethodField()

    class Meta:
        model = JointTeam
        fields = ["id", "customer", "customer_name", "cif_no", "center", "client_manager", "hq_manager",
                  "started_on", "note", "plan"]

    def get_customer_name(self, team) -> str:
        return name_masker(self.context["request"].user)(team.customer.name)

    @extend_schema_field(JointPlanItemSerializer(many=True))
    def get_plan(self, team) -> list[dict]:
        return JointPlanItemSerializer(list(team.plan_items.all()), many=True).data


@extend_schema_view(list=extend_schema(summary="私人银行联合服务团队"), retrieve=extend_schema(summary="联合服务团队与计划"))
class JointTeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JointTeamSerializer
    permission_classes = [CustomerDataPermission]

    def get_queryset(self):
        return selectors.joint_teams(self.request.user).prefetch_related("plan_items")

    @extend_schema(request=JointPlanItemSerializer, responses=JointPlanItemSerializer, summary="加入联合服务计划")
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        team = self.get_object()
        body = JointPlanItemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        item = _call(lambda: joint.plan_item_add(actor=request.user, team=team, kind=d["kind"], title=d["title"],
                                                 planned_on=d.get("planned_on")))
        return Response(JointPlanItemSerializer(item).data, status=201)

    @extend_schema(request=JointOutcomeSerializer, responses=JointPlanItemSerializer, summary="记录计划结果")
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        team = self.get_object()
        body = JointOutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        item = JointPlanItem.objects.visible_to(request.user).filter(team=team, pk=d["item"]).first()
        if item is None:
            raise serializers.ValidationError({"item": [_("该计划不存在。")]})
        item = _call(lambda: joint.plan_item_record(actor=request.user, item=item, held_on=d["held_on"],
                                                    outcome=d["outcome"]))
        return Response(JointPlanItemSerializer(item).data)


class BulletinArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField()


class BulletinSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    articles = BulletinArticleSerializer(many=True, read_only=True)
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tiers = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = BulletinIssue
        fields = ["id", "issue_no", "title", "status", "status_display", "tiers", "units", "published_on",
                  "articles"]


class BulletinMarkSerializer(StrictFieldsMixin, serializers.Serializer):
    customers = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**53), allow_empty=True)


class BulletinMarkResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


@extend_schema_view(list=extend_schema(summary="理财金账户贵宾专刊"), retrieve=extend_schema(summary="专刊详情"))
class BulletinViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BulletinSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole]

    @property
    def allowed_roles(self):
        return bulletins.MARKERS if self.action == "mark_received" else BULLETIN_READERS

    def get_queryset(self):
        return selectors.issues(self.request.user).prefetch_related("articles", "units")

    @extend_schema(request=BulletinMarkSerializer, responses=BulletinMarkResultSerializer, summary="登记送达客户")
    @action(detail=True, methods=["post"])
    def mark_received(self, request, pk=None):
        issue = self.get_object()
        body = BulletinMarkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        n = _call(lambda: bulletins.receipts_mark(actor=request.user, issue=issue,
                                                  customer_ids=body.validated_data["customers"]))
        return Response({"marked": n})


router.register("cases", CaseViewSet, basename="case")
router.register("joint-teams", JointTeamViewSet, basename="joint-team")
router.register("bulletins", BulletinViewSet, basename="bulletin")
