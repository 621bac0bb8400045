"""The opinion book (R23): the public page (no login), its QR code for the counter, and the center's inbox."""
import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.middleware import client_ip
from wealthdesk.core.reveal import RevealView
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from .. import selectors, services
from ..choices import OpinionStatus
from ..forms import AssignForm, CloseForm, OpinionPublicForm, ToCardForm, ToComplaintForm
from ..models import Opinion
from ..services.opinions import inbox_center
from .common import error_lines, form_error_lines

INBOX_ROLES = frozenset({Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR, Role.TEAM_LEAD, Role.CLIENT_MANAGER,
                         Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE, Role.QUALITY_MANAGER})
QR_ROLES = frozenset({Role.CENTER_HEAD, Role.LOBBY_MANAGER})


def _public_unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code, is_active=True, kind__in=[UnitKind.CENTER, UnitKind.OUTLET]).first()
    if unit is None or inbox_center(unit) is None:
        raise Http404(_("没有这个网点的意见簿。"))
    return unit


class PublicOpinionView(View):
    """No login. The customer writes an opinion or need; name and contact only if they wish. Output is escaped by
    the template engine; posts are size- and rate-limited (per address, see ``services.opinion_post``)."""

    def get(self, request, code):
        unit = _public_unit(code)
        return render(request, "voice/public_opinion.html", {"unit": unit, "form": OpinionPublicForm()})

    def post(self, request, code):
        unit = _public_unit(code)
        form = OpinionPublicForm(request.POST)
        if not form.is_valid():
            return render(request, "voice/public_opinion.html", {"unit": unit, "form": form}, status=400)
        data = form.cleaned_data
        if data["website"]:  # honeypot filled in: a robot; pretend success, store nothing
            return render(request, "voice/public_thanks.html", {"unit": unit})
        try:
            services.opinion_post(unit=unit, kind=data["kind"], content=data["content"], name=data["name"],
                                  contact=data["contact"], rating=data["rating"], ip=client_ip(request),
                                  product_line=data.get("product_line", ""), position=data.get("position", ""))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            limited = "__all__" in exc.message_dict
            return render(request, "voice/public_opinion.html", {"unit": unit, "form": form},
                          status=429 if limited else 400)
        return render(request, "voice/public_thanks.html", {"unit": unit})


class OpinionQrView(RoleRequiredMixin, View):
    """A printable page with the QR code of a unit's opinion book (for the counter)."""

    allowed_roles = QR_ROLES

    def get(self, request, code):
        unit = _public_unit(code)
        scope = scope_for(request.user)
        if not (unit.path.startswith(scope.unit_path or "\0") or inbox_center(unit).pk == scope.unit_id):
            raise Http404
        url = request.build_absolute_uri(reverse("voice:public-opinion", args=[unit.code]))
        svg = segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff")
        return render(request, "voice/opinion_qr.html", {"unit": unit, "url": url, "qr_svg": svg})


class OpinionInboxView(RoleRequiredMixin, ListView):
    allowed_roles = INBOX_ROLES
    template_name = "voice/opinion_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.opinion_list(self.request.user, status=self.request.GET.get("status", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self.request.user.unit
        ctx["statuses"] = OpinionStatus.choices
        ctx["public_units"] = OrgUnit.objects.filter(
            is_active=True, kind__in=[UnitKind.CENTER, UnitKind.OUTLET], path__startswith=unit.path if unit else "\0"
        ).order_by("code") if scope_for(self.request.user).has(*QR_ROLES) else []
        return ctx


def may_reveal_contact(user, opinion) -> bool:
    """The center's head (and the other handlers of the center) and the assignee read the name and may unmask
    the contact through the audited reveal."""
    scope = scope_for(user)
    return (scope.has(*services.OPINION_HANDLERS) and scope.unit_id == opinion.center_id) \
        or opinion.assignee_id == user.pk


class OpinionRevealView(RoleRequiredMixin, RevealView):
    """The writer's contact in clear, audited (R28)."""

    allowed_roles = INBOX_ROLES
    fields = {"contact": "contact"}

    def get_object(self, request, pk):
        return get_object_or_404(Opinion.objects.visible_to(request.user), pk=pk)

    def can_reveal(self, user, obj) -> bool:
        return may_reveal_contact(user, obj)


class OpinionDetailView(RoleRequiredMixin, View):
    """One entry; the head assigns it, turns it into a needs card or a complaint, or closes it. The contact
    the customer left is shown in clear only to the center's head and the assignee (audited)."""

    allowed_roles = INBOX_ROLES

    def get_opinion(self, pk):
        return get_object_or_404(Opinion.objects.visible_to(self.request.user).select_related("unit", "center",
                                                                                               "assignee"), pk=pk)

    def render(self, opinion, errors=(), status=200):
        user = self.request.user
        scope = scope_for(user)
        is_handler = scope.has(*services.OPINION_HANDLERS) and scope.unit_id == opinion.center_id
        show_contact = may_reveal_contact(user, opinion)
        if show_contact and opinion.name:
            audit_record(actor=user, action=AuditAction.VIEW, obj=opinion, detail={"name": True})
        is_open = opinion.status in (OpinionStatus.NEW, OpinionStatus.ASSIGNED)
        ctx = {"opinion": opinion, "is_handler": is_handler and is_open, "show_contact": show_contact,
               "can_close": is_open and (is_handler or opinion.assignee_id == user.pk), "errors": errors,
               "assign_form": AssignForm(center_id=opinion.center_id), "close_form": CloseForm(),
               "card_form": ToCardForm(user=user) if is_handler and is_open else None,
               "complaint_form": ToComplaintForm()}
        return render(self.request, "voice/opinion_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render(self.get_opinion(pk))

    def post(self, request, pk):
        opinion = self.get_opinion(pk)
        action = request.POST.get("action", "")
        forms = {"assign": lambda: AssignForm(request.POST, center_id=opinion.center_id),
                 "close": lambda: CloseForm(request.POST), "card": lambda: ToCardForm(request.POST, user=request.user),
                 "complaint": lambda: ToComplaintForm(request.POST)}
        if action not in forms:
            return self.render(opinion, errors=[_("未知操作。")], status=400)
        form = forms[action]()
        if not form.is_valid():
            return self.render(opinion, errors=form_error_lines(form), status=400)
        data, user = form.cleaned_data, request.user
        try:
            if action == "assign":
                services.opinion_assign(actor=user, opinion=opinion, assignee=data["assignee"], note=data["note"])
            elif action == "close":
                services.opinion_close(actor=user, opinion=opinion, note=data["note"])
            elif action == "card":
                card = services.opinion_to_card(actor=user, opinion=opinion, customer=data["customer"],
                                                category=data["category"])
                messages.success(request, _("已转为客户需求卡。"))
                return redirect("voice:card-detail", pk=card.pk)
            else:
                services.opinion_to_complaint(actor=user, opinion=opinion, category=data["category"])
                messages.success(request, _("已转为投诉。"))
        except PermissionDenied:
            raise
        except ValidationError as exc:
            opinion.refresh_from_db()
            return self.render(opinion, errors=error_lines(exc, form), status=400)
        return redirect("voice:opinion-detail", pk=opinion.pk)
