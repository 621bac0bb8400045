"""/api/v1/experts/ (the pool: list, read, add, edit, revoke) and /api/v1/consultations/ (list, read, ask; actions
take, ask (back), reply, answer, book, close, rate): the same scope and services as the pages, paginated, rows
carrying ``id``. A pool member's answers carry no customer identity: ``customer``, ``customer_name`` and
``center_name`` are null for them."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wealthdesk.core.api import HasRole, ScopedViewSetMixin, StrictFieldsMixin, VersionInputMixin, router, service_error
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.dates import SaneDateSerializerField
from wealthdesk.core.masking import name_masker
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import selectors, services
from .choices import ExpertKind, Level, Specialty, Urgency, Usage
from .models import KEEPER_ROLES, POOL_ROLES, Consultation, PoolMember
from .views import DETAIL_READERS, LIST_READERS, POOL_READERS


def _call(fn):
    try:
        return fn()
    except DjangoValidationError as exc:
        raise service_error(exc) from None


class PoolSlotSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(read_only=True)
    start_time = serializers.TimeField(read_only=True, format="%H:%M")
    end_time = serializers.TimeField(read_only=True, format="%H:%M")


class PoolMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    specialties = serializers.ListField(child=serializers.ChoiceField(choices=Specialty.choices), read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)
    slots = PoolSlotSerializer(many=True, read_only=True)

    class Meta:
        model = PoolMember
        fields = ["id", "user", "name", "kind", "unit", "unit_name", "level", "company", "title", "specialties",
                  "engaged_from", "engagement_ends_on", "active", "revoked_at", "version", "slots"]
        read_only_fields = fields


class PoolMemberCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), label=_("人员"),
                                              error_messages={"does_not_exist": _("人员：不存在或不在您的辖区内。")})
    kind = serializers.ChoiceField(choices=ExpertKind.choices, label=_("类别"))
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none(), label=_("服务机构"),
                                              error_messages={"does_not_exist": _("服务机构：不存在或不在您的辖区内。")})
    specialties = serializers.ListField(child=serializers.ChoiceField(choices=Specialty.choices), min_length=1,
                                        max_length=len(Specialty.values), label=_("专业领域"))
    company = serializers.CharField(required=False, allow_blank=True, max_length=80, label=_("所属公司"))
    title = serializers.CharField(required=False, allow_blank=True, max_length=80, label=_("职务/资质"))
    engaged_from = SaneDateSerializerField(required=False, allow_null=True, label=_("聘用开始日期"))
    engagement_ends_on = SaneDateSerializerField(required=False, allow_null=True, label=_("聘用结束日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated and request.user.unit_id:
            unit = request.user.unit
            self.fields["user"].queryset = User.objects.visible_to(request.user).filter(
                role_assignments__role__in=POOL_ROLES).distinct()
            self.fields["unit"].queryset = OrgUnit.objects.filter(path__startswith=unit.path)


class PoolMemberEditSerializer(StrictFieldsMixin, VersionInputMixin, serializers.Serializer):
    specialties = serializers.ListField(child=serializers.ChoiceField(choices=Specialty.choices), min_length=1,
                                        max_length=len(Specialty.values), required=False, label=_("专业领域"))
    company = serializers.CharField(required=False, allow_blank=True, max_length=80, label=_("所属公司"))
    title = serializers.CharField(required=False, allow_blank=True, max_length=80, label=_("职务/资质"))
    engagement_ends_on = SaneDateSerializerField(required=False, allow_null=True, label=_("聘用结束日期"))


class PoolRevokeSerializer(StrictFieldsMixin, serializers.Serializer):
    revoke_reason = serializers.CharField(max_length=200, label=_("撤销原因"))


@extend_schema_view(list=extend_schema(summary="专家库列表（理财顾问与理财专家）"), retrieve=extend_schema(summary="专家库成员"),
                    create=extend_schema(summary="加入专家库", request=PoolMemberCreateSerializer,
                                         responses=PoolMemberSerializer),
                    partial_update=extend_schema(summary="修改专家库成员（带 version，过期版本 409）",
                                                 request=PoolMemberEditSerializer, responses=PoolMemberSerializer))
class PoolMemberViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    scoped_model = PoolMember
    serializer_class = PoolMemberSerializer
    permission_classes = [HasRole]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["kind", "level", "unit"]

    @property
    def allowed_roles(self):
        if self.action in ("create", "partial_update", "revoke"):
            return KEEPER_ROLES
        return POOL_READERS | LIST_READERS | POOL_ROLES

    def get_base_queryset(self):
        return PoolMember.objects.select_related("user", "unit").prefetch_related("slots").order_by("unit__path", "id")

    def create(self, request, *args, **kwargs):
        body = PoolMemberCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        d = body.validated_data
        member = _call(lambda: services.member_add(
            actor=request.user, user=d["user"], kind=d["kind"], unit=d["unit"], specialties=d["specialties"],
            company=d.get("company", ""), title=d.get("title", ""), engaged_from=d.get("engaged_from"),
            engagement_ends_on=d.get("engagement_ends_on")))
        return Response(PoolMemberSerializer(member).data, status=201)

    def partial_update(self, request, *args, **kwargs):
        member = self.get_object()
        body = PoolMemberEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        version = d.pop("version", None)
        member = _call(lambda: services.member_update(actor=request.user, member=member, version=version, **d))
        return Response(PoolMemberSerializer(member).data)

    @extend_schema(request=PoolRevokeSerializer, responses=PoolMemberSerializer,
                   summary="撤销访问权限（下一次请求即被拒绝）")
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        member = self.get_object()
        body = PoolRevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = _call(lambda: services.member_revoke(actor=request.user, member=member,
                                                     reason=body.validated_data["revoke_reason"]))
        return Response(PoolMemberSerializer(member).data)


class ConsultationMessageSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    author = serializers.CharField(source="author.__str__", read_only=True)
    text = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class ConsultationBookingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    place = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


class ConsultationAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)


class ConsultationSummarySerializer(serializers.Serializer):
    tier = serializers.CharField(read_only=True)
    aum_band = serializers.CharField(read_only=True)
    age_band = serializers.CharField(read_only=True)
    risk_level = serializers.CharField(read_only=True)
    product_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)


class ConsultationSerializer(serializers.ModelSerializer):
    customer = serializers.SerializerMethodField()
    customer_name = serializers.SerializerMethodField()
    center_name = serializers.SerializerMethodField()
    asked_by_name = serializers.CharField(source="asked_by.__str__", read_only=True)
    queue_unit_name = serializers.CharField(source="queue_unit.name", read_only=True)
    expert_name = serializers.SerializerMethodField()
    summary = ConsultationSummarySerializer(read_only=True)
    overdue = serializers.SerializerMethodField()
    messages = ConsultationMessageSerializer(many=True, read_only=True)
    bookings = ConsultationBookingSerializer(many=True, read_only=True)
    attachments = ConsultationAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "status", "customer", "customer_name", "center_name", "asked_by_name", "specialty", "urgency",
                  "level", "queue_unit", "queue_unit_name", "requested_expert", "expert", "expert_name", "summary",
                  "question", "asked_on", "due_on", "overdue", "answer", "answered_at", "usage", "usage_note", "rating",
                  "rating_comment", "closed_at", "version", "messages", "bookings", "attachments"]
        read_only_fields = fields

    def _pool(self) -> bool:
        request = self.context.get("request")
        return request is None or selectors.is_pool_user(request.user)

    def get_customer(self, obj) -> int | None:
        return None if self._pool() else obj.customer_id

    def get_customer_name(self, obj) -> str | None:
        return None if self._pool() else name_masker(self.context["request"].user)(obj.customer.name)

    def get_center_name(self, obj) -> str | None:
        return None if self._pool() else obj.center.name

    def get_expert_name(self, obj) -> str | None:
        return str(obj.expert.user) if obj.expert_id else None

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class ConsultationAskSerializer(StrictFieldsMixin, serializers.Serializer):
    customer = serializers.IntegerField(min_value=1, label=_("客户"))
    question = serializers.CharField(max_length=4000, label=_("咨询问题"))
    specialty = serializers.ChoiceField(choices=Specialty.choices, label=_("专业领域"))
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, label=_("紧急程度"))
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True, label=_("咨询层级"))
    requested_expert = serializers.IntegerField(min_value=1, required=False, allow_null=True, label=_("指定专家"))


class ConsultationTextSerializer(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=8000, label=_("内容"))


class ConsultationBookSerializer(StrictFieldsMixin, serializers.Serializer):
    starts_at = serializers.DateTimeField(label=_("开始时间"))
    ends_at = serializers.DateTimeField(label=_("结束时间"))
    place = serializers.CharField(required=False, allow_blank=True, max_length=80, label=_("地点/方式"))


class ConsultationCloseSerializer(StrictFieldsMixin, VersionInputMixin, serializers.Serializer):
    usage = serializers.ChoiceField(choices=Usage.choices, label=_("答复使用情况"))
    usage_note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label=_("使用说明"))


class ConsultationRateSerializer(StrictFieldsMixin, serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, label=_("评分"))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("评价"))


def _step(summary, request_serializer=None):
    return extend_schema(summary=summary, request=request_serializer, responses=ConsultationSerializer)


@extend_schema_view(list=extend_schema(summary="专家咨询列表（专家只看到指派给自己的咨询）"),
                    retrieve=extend_schema(summary="专家咨询详情（专家只看到脱敏客户概况）"),
                    create=extend_schema(summary="发起专家咨询（仅限本人名下客户）", request=ConsultationAskSerializer,
                                         responses=ConsultationSerializer))
class ConsultationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = Consultation
    serializer_class = ConsultationSerializer
    permission_classes = [HasRole]
    filterset_fields = ["status", "level", "urgency", "specialty"]

    @property
    def allowed_roles(self):
        if self.action in ("create", "reply", "close", "rate"):
            return services.ASKER_ROLES
        if self.action in ("take", "ask", "answer", "book"):
            return POOL_ROLES
        return DETAIL_READERS

    def get_base_queryset(self):
        return (Consultation.objects.select_related("customer", "center", "asked_by", "queue_unit", "expert__user")
                .prefetch_related("messages__author", "bookings", "attachments").order_by("-asked_on", "-id"))

    def retrieve(self, request, *args, **kwargs):
        consultation = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=consultation,
                     detail={"masked_summary_only": True} if selectors.is_pool_user(request.user) else {})
        return Response(self.get_serializer(consultation).data)

    def _fresh(self, consultation):
        return Response(self.get_serializer(self.get_base_queryset().get(pk=consultation.pk)).data)

    def create(self, request, *args, **kwargs):
        body = ConsultationAskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        user = request.user
        customer = Customer.objects.visible_to(user).filter(pk=d["customer"], client_manager=user).first()
        if customer is None:
            services.audit_not_own_customer(actor=user, customer_id=d["customer"])
            raise serializers.ValidationError({"customer": [services.NOT_OWN_CUSTOMER]})
        expert = None
        if d.get("requested_expert"):
            expert = selectors.askable_members(user).filter(pk=d["requested_expert"]).first()
            if expert is None:
                raise serializers.ValidationError({"requested_expert": [_("指定专家：不存在或不为您所在的机构提供服务。")]})
        consultation = _call(lambda: services.consultation_ask(
            actor=user, customer=customer, question=d["question"], specialty=d["specialty"],
            urgency=d.get("urgency") or Urgency.NORMAL, level=d.get("level"), requested_expert=expert))
        response = self._fresh(consultation)
        response.status_code = 201
        return response

    @_step("接单（只有一位专家能接到）")
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        c = self.get_object()
        return self._fresh(_call(lambda: services.consultation_take(actor=request.user, consultation=c)))

    @_step("专家向客户经理追问", ConsultationTextSerializer)
    @action(detail=True, methods=["post"])
    def ask(self, request, pk=None):
        c = self.get_object()
        body = ConsultationTextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._fresh(_call(lambda: services.consultation_ask_back(actor=request.user, consultation=c,
                                                                       text=body.validated_data["text"])))

    @_step("客户经理补充信息", ConsultationTextSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        c = self.get_object()
        body = ConsultationTextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._fresh(_call(lambda: services.consultation_reply(actor=request.user, consultation=c,
                                                                    text=body.validated_data["text"])))

    @_step("专家答复（附件请在页面上传）", ConsultationTextSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        c = self.get_object()
        body = ConsultationTextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._fresh(_call(lambda: services.consultation_answer(actor=request.user, consultation=c,
                                                                     text=body.validated_data["text"])))

    @_step("专家提议与客户会面（须在其可预约时段内）", ConsultationBookSerializer)
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        c = self.get_object()
        body = ConsultationBookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        _call(lambda: services.booking_propose(actor=request.user, consultation=c, starts_at=d["starts_at"],
                                               ends_at=d["ends_at"], place=d.get("place", "")))
        return self._fresh(c)

    @_step("客户经理记录答复使用情况并关闭", ConsultationCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        c = self.get_object()
        body = ConsultationCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        return self._fresh(_call(lambda: services.consultation_close(
            actor=request.user, consultation=c, usage=d["usage"], usage_note=d.get("usage_note", ""),
            version=d.get("version"))))

    @_step("客户经理评价答复（1–5 分，一次）", ConsultationRateSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        c = self.get_object()
        body = ConsultationRateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        return self._fresh(_call(lambda: services.consultation_rate(actor=request.user, consultation=c,
                                                                   rating=d["rating"], comment=d.get("comment", ""))))


router.register("experts", PoolMemberViewSet, basename="expert")
router.register("consultations", ConsultationViewSet, basename="consultation")
