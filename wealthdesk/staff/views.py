"""Sign-in pages and the confidentiality agreement gate (R28)."""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .forms import LoginForm
from .models import Agreement, AgreementAcceptance
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
