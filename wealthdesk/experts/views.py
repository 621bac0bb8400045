"""Pages of the expert pool and consultations (R4). Reads through selectors (``visible_to``), writes through
services; a pool member (advisor, expert) sees only the masked summary and every view of theirs is audited."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from wealthdesk.core.access_audit import audit_list_view
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.exports import export_response, filters_from
from wealthdesk.core.masking import name_masker
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin, RoleRequiredMixin

from . import selectors, services
from .choices import ConsultationStatus, ExpertKind, Level, Specialty, Usage
from .forms import (
    AnswerForm,
    AskForm,
    BookingForm,
    CloseForm,
    MemberEditForm,
    MemberForm,
    RateForm,
    RevokeForm,
    SlotForm,
    TextForm,
)
from .models import KEEPER_ROLES, POOL_ROLES, AvailabilitySlot, Consultation, ConsultationAttachment, PoolMember
from .summary import summary_lines

POOL_READERS = frozenset({*KEEPER_ROLES, Role.SUBBRANCH_SERVICE})
LIST_READERS = frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, *selectors.COORDINATOR_ROLES})
DETAIL_READERS = frozenset({*LIST_READERS, *POOL_ROLES})


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for msgs in exc.message_dict.values() for m in msgs] if hasattr(exc, "error_dict") else exc.messages


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- the pool ------------------------------------------------------------------------------------------------

class PoolListView(RoleRequiredMixin, ListView):
    allowed_roles = POOL_READERS
    template_name = "experts/pool_list.html"
    paginate_by = 30

    def get_queryset(self):
        p = self.request.GET
        return selectors.pool_list(self.request.user, kind=p.get("kind", ""), level=p.get("level", ""),
                                   specialty=p.get("specialty", ""), status=p.get("status", ""))

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            qs = self.get_queryset()
            headers = [_("姓名"), _("类别"), _("服务层级"), _("服务机构"), _("所属公司"), _("专业领域"), _("聘用结束日期"),
                       _("状态")]

            def rows():
                for m in qs.iterator(chunk_size=2000):
                    yield [str(m.user), m.get_kind_display(), m.get_level_display(), str(m.unit), m.company,
                           "、".join(str(s) for s in m.specialty_labels),
                           m.engagement_ends_on.isoformat() if m.engagement_ends_on else "", str(m.status_label)]

            return export_response(user=request.user, title=_("《专家库名册》"), headers=headers, rows=rows(),
                                   filters=filters_from(request.GET), audit_model=PoolMember,
                                   filename=f"专家库-{timezone.localdate():%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(kinds=ExpertKind.choices, levels=Level.choices, specialties=Specialty.choices,
                   can_keep=scope_for(self.request.user).has(*KEEPER_ROLES), today=timezone.localdate())
        return ctx


class PoolCreateView(RoleRequiredMixin, View):
    allowed_roles = KEEPER_ROLES

    def get(self, request):
        return render(request, "experts/pool_form.html", {"form": MemberForm(user=request.user)})

    def post(self, request):
        form = MemberForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                member = services.member_add(actor=request.user, user=d["user"], kind=d["kind"], unit=d["unit"],
                                             specialties=d["specialties"], company=d["company"], title=d["title"],
                                             engaged_from=d["engaged_from"],
                                             engagement_ends_on=d["engagement_ends_on"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已加入专家库。"))
                return redirect("experts:member", pk=member.pk)
        return render(request, "experts/pool_form.html", {"form": form}, status=400)


def _member(request, pk) -> PoolMember:
    return get_object_or_404(PoolMember.objects.visible_to(request.user).select_related("user", "unit", "revoked_by"),
                             pk=pk)


class PoolDetailView(RoleRequiredMixin, View):
    allowed_roles = POOL_READERS

    def render_page(self, request, member, forms=None, status=200):
        forms = forms or {}
        can_keep = services.can_keep(request.user, member.unit)
        ctx = {"member": member, "slots": list(member.slots.all()), "can_keep": can_keep,
               "edit_form": forms.get("edit") or MemberEditForm(initial={
                   "version": member.version, "company": member.company, "title": member.title,
                   "specialties": member.specialties, "engagement_ends_on": member.engagement_ends_on}),
               "revoke_form": forms.get("revoke") or RevokeForm(), "slot_form": forms.get("slot") or SlotForm(),
               "taken": member.consultations.count()}
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=member, unit_id=member.unit_id)
        return render(request, "experts/pool_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render_page(request, _member(request, pk))


class PoolStepView(RoleRequiredMixin, View):
    allowed_roles = KEEPER_ROLES

    def post(self, request, pk, step):
        member = _member(request, pk)
        page = PoolDetailView()
        forms = {"edit": MemberEditForm, "revoke": RevokeForm, "slot": SlotForm}
        if step not in forms:
            raise Http404
        form = forms[step](request.POST)
        if not form.is_valid():
            return page.render_page(request, member, {step: form}, status=400)
        d = form.cleaned_data
        try:
            if step == "edit":
                services.member_update(actor=request.user, member=member, version=d.get("version"),
                                       specialties=d["specialties"], company=d["company"], title=d["title"],
                                       engagement_ends_on=d["engagement_ends_on"])
                messages.success(request, _("专家信息已保存。"))
            elif step == "revoke":
                services.member_revoke(actor=request.user, member=member, reason=d["revoke_reason"])
                messages.success(request, _("已撤销其访问权限，对方下一次访问即被拒绝。"))
            else:
                services.slot_add(actor=request.user, member=member, weekday=d["weekday"],
                                  start_time=d["start_time"], end_time=d["end_time"])
                messages.success(request, _("已添加可预约时段。"))
        except ValidationError as exc:
            _add_errors(form, exc)
            status = 409 if "version" in exc.message_dict else 400
            return page.render_page(request, member, {step: form}, status=status)
        return redirect("experts:member", pk=member.pk)


class SlotRemoveView(RoleRequiredMixin, View):
    allowed_roles = KEEPER_ROLES

    def post(self, request, pk, slot_pk):
        member = _member(request, pk)
        slot = get_object_or_404(AvailabilitySlot.objects.visible_to(request.user), pk=slot_pk, member=member)
        services.slot_remove(actor=request.user, slot=slot)
        messages.success(request, _("已删除可预约时段。"))
        return redirect("experts:member", pk=member.pk)


# --- consultations -------------------------------------------------------------------------------------------

class ConsultationListView(CustomerDataMixin, ListView):
    allowed_roles = LIST_READERS
    template_name = "experts/consultation_list.html"
    paginate_by = 30

    def get_queryset(self):
        p = self.request.GET
        return selectors.consultation_list(self.request.user, status=p.get("status", ""),
                                           overdue=p.get("overdue") == "1", level=p.get("level", ""))

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            qs = self.get_queryset()
            name = name_masker(request.user)
            headers = [_("编号"), _("提出日期"), _("理财中心"), _("客户"), _("客户经理"), _("专业领域"), _("紧急程度"),
                       _("受理机构"), _("接单专家"), _("状态"), _("答复期限"), _("使用情况"), _("评分")]

            def rows():
                for c in qs.iterator(chunk_size=2000):
                    yield [c.pk, c.asked_on.isoformat(), str(c.center), name(c.customer.name), str(c.asked_by),
                           c.get_specialty_display(), c.get_urgency_display(), str(c.queue_unit),
                           str(c.expert.user) if c.expert else "", c.get_status_display(), c.due_on.isoformat(),
                           c.get_usage_display(), c.rating or ""]

            return export_response(user=request.user, title=_("《专家咨询登记表》"), headers=headers, rows=rows(),
                                   filters=filters_from(request.GET), audit_model=Consultation,
                                   filename=f"专家咨询-{timezone.localdate():%Y%m%d}.xlsx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        name = name_masker(self.request.user)
        ctx["rows"] = [(c, name(c.customer.name)) for c in ctx["object_list"]]
        ctx.update(statuses=ConsultationStatus.choices, levels=Level.choices, today=timezone.localdate(),
                   can_ask=scope_for(self.request.user).has(*services.ASKER_ROLES))
        return ctx


class ConsultationCreateView(CustomerDataMixin, View):
    allowed_roles = services.ASKER_ROLES

    def get(self, request):
        initial = {}
        if request.GET.get("customer", "").isdigit():
            initial["customer"] = request.GET["customer"]
        return render(request, "experts/consultation_form.html", {"form": AskForm(user=request.user, initial=initial)})

    def post(self, request):
        form = AskForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                consultation = services.consultation_ask(
                    actor=request.user, customer=d["customer"], question=d["question"], specialty=d["specialty"],
                    urgency=d["urgency"], level=d["level"] or None, requested_expert=d["requested_expert"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("专家咨询已提交，答复期限 %(d)s。") % {"d": consultation.due_on.isoformat()})
                return redirect("experts:consultation", pk=consultation.pk)
        elif "customer" in form.errors and request.POST.get("customer"):
            services.audit_not_own_customer(actor=request.user, customer_id=request.POST.get("customer"))
        return render(request, "experts/consultation_form.html", {"form": form}, status=400)


def _consultation(request, pk) -> Consultation:
    return get_object_or_404(Consultation.objects.visible_to(request.user).select_related(
        "customer", "center", "asked_by", "queue_unit", "expert__user", "requested_expert__user"), pk=pk)


class ConsultationDetailView(RoleRequiredMixin, View):
    allowed_roles = DETAIL_READERS

    def render_page(self, request, c, forms=None, status=200):
        user, forms = request.user, forms or {}
        pool_view = selectors.is_pool_user(user)
        member = PoolMember.objects.filter(user=user).first()
        is_taker = member is not None and c.expert_id == member.pk
        is_asker = c.asked_by_id == user.pk
        can_take = (member is not None and member.is_active and c.status == ConsultationStatus.QUEUED
                    and (c.requested_expert_id == member.pk
                         or (c.requested_expert_id is None and member.unit_id == c.queue_unit_id
                             and member.kind == ExpertKind.EXPERT)))
        ctx = {
            "c": c, "pool_view": pool_view, "summary": summary_lines(c.summary),
            "customer_name": None if pool_view else name_masker(user)(c.customer.name),
            "thread": list(c.messages.select_related("author")), "attachments": list(c.attachments.all()),
            "bookings": list(c.bookings.all()), "slots": list(c.expert.slots.all()) if c.expert else [],
            "can_take": can_take,
            "can_ask_back": is_taker and c.status == ConsultationStatus.TAKEN,
            "can_answer": is_taker and c.status in (ConsultationStatus.TAKEN, ConsultationStatus.ASKED_BACK),
            "can_book": is_taker and c.status != ConsultationStatus.CLOSED,
            "can_reply": is_asker and c.status == ConsultationStatus.ASKED_BACK,
            "can_close": is_asker and c.status == ConsultationStatus.ANSWERED,
            "can_rate": is_asker and c.status == ConsultationStatus.CLOSED and c.rating is None,
            "overdue": c.is_overdue(), "usages": Usage.choices,
            "ask_back_form": forms.get("ask_back") or TextForm(), "reply_form": forms.get("reply") or TextForm(),
            "answer_form": forms.get("answer") or AnswerForm(), "book_form": forms.get("book") or BookingForm(),
            "close_form": forms.get("close") or CloseForm(initial={"version": c.version}),
            "rate_form": forms.get("rate") or RateForm(),
            "errors": [str(m) for f in forms.values() for msgs in f.errors.values() for m in msgs],
        }
        audit_record(actor=user, action=AuditAction.VIEW, obj=c,
                     detail={"masked_summary_only": True} if pool_view else {})
        return render(request, "experts/consultation_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render_page(request, _consultation(request, pk))


STEP_FORMS = {"take": None, "ask_back": TextForm, "reply": TextForm, "answer": AnswerForm, "book": BookingForm,
              "close": CloseForm, "rate": RateForm}


class ConsultationStepView(RoleRequiredMixin, View):
    """One step: take, ask back, reply, answer (with attachments), propose a booking, close (use + rating), rate."""

    allowed_roles = DETAIL_READERS

    def post(self, request, pk, step):
        c = _consultation(request, pk)
        if step not in STEP_FORMS:
            raise Http404
        page, user = ConsultationDetailView(), request.user
        form_class = STEP_FORMS[step]
        form = form_class(request.POST, request.FILES) if form_class else None
        if form is not None and not form.is_valid():
            return page.render_page(request, c, {step: form}, status=400)
        d = form.cleaned_data if form is not None else {}
        try:
            if step == "take":
                services.consultation_take(actor=user, consultation=c)
                messages.success(request, _("已接单。"))
            elif step == "ask_back":
                services.consultation_ask_back(actor=user, consultation=c, text=d["text"])
                messages.success(request, _("已向客户经理追问。"))
            elif step == "reply":
                services.consultation_reply(actor=user, consultation=c, text=d["text"])
                messages.success(request, _("已补充信息。"))
            elif step == "answer":
                services.consultation_answer(actor=user, consultation=c, text=d["text"], files=d["attachments"])
                messages.success(request, _("已答复。"))
            elif step == "book":
                services.booking_propose(actor=user, consultation=c, starts_at=d["starts_at"], ends_at=d["ends_at"],
                                         place=d["place"])
                messages.success(request, _("已提议会面时间。"))
            elif step == "close":
                services.consultation_close(actor=user, consultation=c, usage=d["usage"], usage_note=d["usage_note"],
                                            version=d.get("version"), rating=d.get("rating"),
                                            rating_comment=d.get("rating_comment", ""))
                messages.success(request, _("已记录使用情况，咨询已关闭。"))
            else:
                services.consultation_rate(actor=user, consultation=c, rating=d["rating"],
                                           comment=d.get("rating_comment", ""))
                messages.success(request, _("已评价。"))
        except PermissionDenied:
            raise
        except ValidationError as exc:
            c = _consultation(request, pk)
            if form is None:
                messages.error(request, "；".join(_errors(exc)))
                return redirect("experts:consultation", pk=c.pk)
            _add_errors(form, exc)
            status = 409 if "version" in exc.message_dict else 400
            return page.render_page(request, c, {step: form}, status=status)
        return redirect("experts:consultation", pk=c.pk)


class AttachmentView(RoleRequiredMixin, View):
    """An answer's file, always as a download (never inline), with the type sniffed at upload."""

    allowed_roles = DETAIL_READERS

    def get(self, request, pk, att_pk):
        c = _consultation(request, pk)
        att = get_object_or_404(ConsultationAttachment.objects.visible_to(request.user), pk=att_pk, consultation=c)
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=c, detail={"attachment": att.pk})
        response = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name,
                                content_type=att.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class MyWorkView(RoleRequiredMixin, TemplateView):
    """A pool member's desk (their home page): what is named to them, what they took, their unit's queue."""

    allowed_roles = POOL_ROLES
    template_name = "experts/my_work.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.my_work(self.request.user), today=timezone.localdate())
        counted = len(ctx["named"]) + len(ctx["open"]) + len(ctx["queue"]) + len(ctx["done"])
        audit_list_view(self.request, what=type(self).__name__, count=counted)
        return ctx
