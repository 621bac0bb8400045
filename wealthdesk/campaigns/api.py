"""/api/v1/campaigns/ (with the segment, the call list as ``members`` and the ``results``; transitions as
actions) and /api/v1/campaign-members/ (a call as ``call``): the same scope and services as the pages,
paginated, rows carrying ``id``."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.contacts.choices import ContactKind
from wealthdesk.core.api import (
    CustomerDataPermission,
    HasRole,
    StrictFieldsMixin,
    VersionInputMixin,
    router,
    service_error,
)
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.core.drf import KeysetPagination
from wealthdesk.core.masking import mask_mobile, name_masker
from wealthdesk.corebanking.choices import ProductKind
from wealthdesk.customers.choices import RiskLevel, Tier
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.reports.models import Report
from wealthdesk.staff.models import User

from . import selectors, services
from .choices import CALL_OUTCOMES, Grade, ProductHeld, Scale
from .models import Campaign, CampaignMember, Segment
from .views import READERS

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
MEMBER_COLUMNS = ("id", "campaign_id", "customer_id", "client_manager_id", "is_holdout", "aum_at_start", "call_status",
                  "contact_id", "contacted_at", "invited", "attended", "converted", "aum_gain", "customer__name",
                  "customer__mobile")


def _call(fn):
    try:
        return fn()
    except DjangoValidationError as exc:
        raise service_error(exc) from None


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "center", "tiers", "aum_min", "aum_max", "product_kind", "product_held",
                  "maturity_from", "maturity_to", "risk_levels", "age_min", "age_max", "last_contact_before"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    segment = SegmentSerializer(read_only=True)
    scale_display = serializers.CharField(source="get_scale_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    staff = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reports = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "center", "scale", "scale_display", "theme", "content", "product_kinds", "products_note",
                  "segment", "goal_reached", "goal_conversions", "goal_aum", "budget", "staff", "starts_on",
                  "ends_on", "event_on", "reports", "status", "status_display", "version", "submitted_at",
                  "decided_at", "decided_by", "return_reason", "holdout_share", "holdout_seed", "started_at",
                  "ended_at", "spent", "staffing_note", "lessons", "results", "feedback_at", "grade", "evaluation",
                  "evaluated_at"]
        read_only_fields = fields


class CampaignCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    """The plan and its target group in one body; ``center`` defaults to the planner's own center."""

    center = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False,
                                                error_messages={"does_not_exist": _("该机构不存在。")})
    scale = serializers.ChoiceField(choices=Scale.choices)
    theme = serializers.CharField(max_length=120)
    content = serializers.CharField(max_length=4000)
    product_kinds = serializers.ListField(child=serializers.ChoiceField(choices=ProductKind.choices), required=False,
                                          max_length=len(ProductKind.choices))
    products_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    goal_reached = serializers.IntegerField(min_value=0, max_value=1_000_000)
    goal_conversions = serializers.IntegerField(min_value=0, max_value=1_000_000)
    goal_aum = serializers.DecimalField(**MONEY)
    budget = serializers.DecimalField(**MONEY)
    starts_on = SaneDateSerializerField()
    ends_on = SaneDateSerializerField()
    event_on = SaneDateSerializerField(required=False, allow_null=True)
    staff = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False,
                                               error_messages={"does_not_exist": _("该员工不存在。")})
    reports = serializers.PrimaryKeyRelatedField(many=True, queryset=Report.objects.all(), required=False,
                                                 error_messages={"does_not_exist": _("所选报告不存在或您无权查看。")})
    segment_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    tiers = serializers.ListField(child=serializers.ChoiceField(choices=Tier.choices), required=False, max_length=4)
    aum_min = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True)
    aum_max = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0, required=False, allow_null=True)
    product_kind = serializers.ChoiceField(choices=[("", "")] + list(ProductKind.choices), required=False,
                                           allow_blank=True)
    product_held = serializers.ChoiceField(choices=ProductHeld.choices, required=False, allow_blank=True)
    maturity_from = SaneDateSerializerField(required=False, allow_null=True)
    maturity_to = SaneDateSerializerField(required=False, allow_null=True)
    risk_levels = serializers.ListField(child=serializers.ChoiceField(choices=RiskLevel.choices), required=False,
                                        max_length=5)
    age_min = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    age_max = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    last_contact_before = SaneDateSerializerField(required=False, allow_null=True)

    PLAN = ("scale", "theme", "content", "product_kinds", "products_note", "goal_reached", "goal_conversions",
            "goal_aum", "budget", "starts_on", "ends_on", "event_on")
    SEGMENT = ("tiers", "aum_min", "aum_max", "product_kind", "product_held", "maturity_from", "maturity_to",
               "risk_levels", "age_min", "age_max", "last_contact_before")


class ReturnSerializer(StrictFieldsMixin, VersionInputMixin):
    reason = serializers.CharField(max_length=2000)


class FeedbackSerializer(StrictFieldsMixin, VersionInputMixin):
    spent = serializers.DecimalField(**MONEY)
    staffing_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lessons = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class EvaluateSerializer(StrictFieldsMixin, VersionInputMixin):
    grade = serializers.ChoiceField(choices=Grade.choices)
    evaluation = serializers.CharField(max_length=4000)


class TransitionSerializer(StrictFieldsMixin, VersionInputMixin):
    pass


class MemberSerializer(serializers.ModelSerializer):
    customer_name = serializers.SerializerMethodField()
    customer_mobile = serializers.SerializerMethodField()
    call_status_display = serializers.CharField(source="get_call_status_display", read_only=True)

    class Meta:
        model = CampaignMember
        fields = ["id", "campaign", "customer", "customer_name", "customer_mobile", "client_manager", "is_holdout",
                  "aum_at_start", "call_status", "call_status_display", "contact", "contacted_at", "invited",
                  "attended", "converted", "aum_gain"]
        read_only_fields = fields

    def get_customer_name(self, obj) -> str:
        request = self.context.get("request")
        if request is None:
            return ""
        if getattr(self, "_masker_for", None) is not request:  # decided once per answer, not once per row
            self._masker, self._masker_for = name_masker(request.user), request
        return self._masker(obj.customer.name)

    def get_customer_mobile(self, obj) -> str:
        return mask_mobile(obj.customer.mobile)


class CallSerializer(StrictFieldsMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(v, v) for v in CALL_OUTCOMES])
    kind = serializers.ChoiceField(choices=ContactKind.choices, required=False, default=ContactKind.PHONE)
    content = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    response = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    next_step = serializers.CharField(max_length=200, required=False, allow_blank=True)


class InviteSerializer(StrictFieldsMixin, serializers.Serializer):
    invited = serializers.BooleanField(required=False, default=True)
    attended = serializers.BooleanField(required=False, default=False)


@extend_schema_view(list=extend_schema(summary="定向营销活动列表"), retrieve=extend_schema(summary="定向营销活动详情"),
                    create=extend_schema(summary="策划营销活动（草稿，含目标客户群）", request=CampaignCreateSerializer,
                                         responses=CampaignSerializer))
class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    permission_classes = [permissions.IsAuthenticated, HasRole, CustomerDataPermission]
    filterset_fields = ["status", "scale", "center"]

    @property
    def allowed_roles(self):
        if self.action in ("create", "submit", "approve", "return_plan", "start", "end", "feedback", "evaluate"):
            return services.PLANNERS
        return READERS

    def get_queryset(self):
        return selectors.campaign_list(self.request.user).select_related("segment") \
            .prefetch_related("staff", "reports")

    def get_serializer_class(self):
        return CampaignCreateSerializer if self.action == "create" else CampaignSerializer

    def create(self, request, *args, **kwargs):
        body = CampaignCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        plan = {k: d[k] for k in CampaignCreateSerializer.PLAN if k in d}
        segment = {k: d[k] for k in CampaignCreateSerializer.SEGMENT if k in d}
        segment["name"] = d.get("segment_name", "")
        campaign = _call(lambda: services.campaign_create(
            actor=request.user, plan=plan, segment=segment, staff=d.get("staff", []), reports=d.get("reports", []),
            center=d.get("center")))
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data, status=201)

    def _transition(self, request, fn, body_class=TransitionSerializer, **extra):
        campaign = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        args = dict(body.validated_data)
        _call(lambda: fn(actor=request.user, campaign=campaign, **args, **extra))
        return Response(CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=TransitionSerializer, responses=CampaignSerializer, summary="提交审批")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, services.campaign_submit)

    @extend_schema(request=TransitionSerializer, responses=CampaignSerializer, summary="负责人批准")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, services.campaign_approve)

    @extend_schema(request=ReturnSerializer, responses=CampaignSerializer, summary="负责人退回（须填原因）")
    @action(detail=True, methods=["post"], url_path="return")
    def return_plan(self, request, pk=None):
        return self._transition(request, services.campaign_return, ReturnSerializer)

    @extend_schema(request=TransitionSerializer, responses=CampaignSerializer, summary="启动（生成客户名单与对照组）")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, services.campaign_start)

    @extend_schema(request=TransitionSerializer, responses=CampaignSerializer, summary="结束")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._transition(request, services.campaign_end)

    @extend_schema(request=FeedbackSerializer, responses=CampaignSerializer, summary="活动反馈（系统计算效果与提升）")
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._transition(request, services.campaign_feedback, FeedbackSerializer)

    @extend_schema(request=EvaluateSerializer, responses=CampaignSerializer, summary="负责人评价")
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        return self._transition(request, services.campaign_evaluate, EvaluateSerializer)

    @extend_schema(responses=MemberSerializer(many=True), summary="客户名单（客户经理只见本人客户）")
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        campaign = self.get_object()
        qs = selectors.member_list(request.user, campaign)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(MemberSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(responses={200: dict}, summary="效果：目标与实际、对照组与提升（结束后为反馈时冻结的结果）")
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        campaign = self.get_object()
        if campaign.results:
            data = campaign.results
        else:
            data = selectors.compute_results(campaign)
            data.pop("converted_ids", None)
            data.pop("gains", None)
        return Response({"id": campaign.pk, "status": campaign.status, "frozen": bool(campaign.results),
                         "results": data})


@extend_schema_view(list=extend_schema(summary="营销活动客户名单"), retrieve=extend_schema(summary="名单中的一位客户"))
class CampaignMemberViewSet(viewsets.ReadOnlyModelViewSet):
    """Keyset pages (``core.drf.KeysetPagination``: ``?cursor=``, the count exact up to a bound) in the order
    ``(campaign, holdout, id)``: at head office the call lists are millions of rows, which page numbers counted in
    full and skipped with OFFSET (issue 16). The rows read the customer's name and mobile only (one decryption a
    row, not three)."""

    serializer_class = MemberSerializer
    pagination_class = KeysetPagination
    permission_classes = [permissions.IsAuthenticated, HasRole, CustomerDataPermission]
    filterset_fields = ["campaign", "call_status", "is_holdout"]

    @property
    def allowed_roles(self):
        return services.CALLERS if self.action in ("call", "invite") else READERS

    def get_queryset(self):
        qs = CampaignMember.objects.visible_to(self.request.user).select_related("customer")
        if self.action == "list":  # the calls and invitations write the member: whole rows for them
            qs = qs.only(*MEMBER_COLUMNS)
        return qs.order_by("campaign_id", "is_holdout", "id")

    @extend_schema(request=CallSerializer, responses=MemberSerializer, summary="登记一次营销联系（生成客户维护记录）")
    @action(detail=True, methods=["post"])
    def call(self, request, pk=None):
        member = self.get_object()
        body = CallSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        _call(lambda: services.member_call(actor=request.user, member=member, outcome=d["outcome"], kind=d["kind"],
                                           content=d.get("content", ""), response=d.get("response", ""),
                                           next_step=d.get("next_step", "")))
        return Response(MemberSerializer(self.get_queryset().get(pk=member.pk), context={"request": request}).data)

    @extend_schema(request=InviteSerializer, responses=MemberSerializer, summary="邀请与到场登记")
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        member = self.get_object()
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        _call(lambda: services.member_invite(actor=request.user, member=member, invited=d["invited"] or d["attended"],
                                             attended=d["attended"]))
        return Response(MemberSerializer(self.get_queryset().get(pk=member.pk), context={"request": request}).data)


router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("campaign-members", CampaignMemberViewSet, basename="campaign-member")
