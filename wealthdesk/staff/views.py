"""Sign-in pages and the confidentiality agreement gate (R28)."""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from wealthdesk.core.picker import SearchPickerView
from wealthdesk.core.roles import Reach
from wealthdesk.core.views import CustomerDataMixin

from .forms import LoginForm
from .models import Agreement, AgreementAcceptance, User
from .services import agreement_accept


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class AgreementView(LoginRequiredMixin, TemplateView):
    template_name = "staff/agreement.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        agreement = Agreement.current()
        ctx["agreement"] = agreement
        ctx["acceptance"] = (AgreementAcceptance.objects.filter(user=self.request.user, agreement=agreement).first()
                             if agreement else None)
        ctx["next"] = self.request.GET.get("next", "")
        return ctx

    def post(self, request):
        agreement = Agreement.current()
        if agreement is None:
            return redirect("home")
        if request.POST.get("accept") != "yes":
            messages.error(request, _("请勾选“我已阅读并同意”后再提交。"))
            return redirect(request.get_full_path())
        agreement_accept(actor=request.user, agreement=agreement)
        messages.success(request, _("已签署保密协议。"))
        target = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return redirect(target)


class StaffPickView(CustomerDataMixin, SearchPickerView):
    """The staff picker's endpoint (core.picker): staff within ``visible_to(user)`` whose name or login contains
    the text, ``?role=client_manager`` for one position; at most 20, by name. Replaces <select>s that listed
    every client manager of the bank at head office (issue 16). Least privilege: only for those who filter other
    staff's customer work (a team's reach or more, agreement signed) — an advisor or a front-desk clerk gets 403."""

    min_reach = Reach.TEAM

    def search(self, request, q, limit):
        from django.db.models import Q

        from wealthdesk.core.roles import Role

        qs = User.objects.visible_to(request.user).filter(is_active=True)
        role = request.GET.get("role", "")
        if role in Role.values:
            qs = qs.with_role(role)
        qs = qs.filter(Q(full_name__contains=q) | Q(username__iexact=q)).select_related("unit")
        return list(qs.order_by("full_name", "id")[:limit])

    def result(self, obj):
        return {"id": obj.pk, "label": str(obj), "detail": obj.unit.name if obj.unit_id else ""}
