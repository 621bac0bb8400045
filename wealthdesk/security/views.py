"""Pages: enrolment (QR code), the second sign-in step, recovery codes, password change, and the administrator's
two-factor reset page."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from wealthdesk.core.views import RoleRequiredMixin

from . import twofactor
from .forms import CodeForm, EnrolForm, PasswordForm
from .middleware import second_factor_done
from .selectors import staff_two_factor

User = get_user_model()


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/"
    return target


class SecondStepMixin(LoginRequiredMixin):
    """The pages of the second sign-in step: only for a signed-in session that has not passed it yet."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if second_factor_done(request):
            return redirect(_next(request))
        return super().dispatch(request, *args, **kwargs)


class VerifyView(SecondStepMixin, FormView):
    template_name = "security/verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not second_factor_done(request) \
                and not twofactor.is_enrolled(request.user):
            return redirect(f"{reverse('security:enrol')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from django.conf import settings

        ctx = super().get_context_data(**kwargs)
        ctx["next"] = _next(self.request)
        ctx["demo_key"] = bool(getattr(settings, "WD_DEMO_TOTP_KEY", None))
        return ctx

    def form_valid(self, form):
        try:
            factor = twofactor.verify(self.request, self.request.user, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
            return self.form_invalid(form)
        if factor == "recovery":
            messages.warning(self.request, _("您使用了一个恢复码，它已失效。如手机丢失，请联系系统管理员重置身份验证器。"))
        return redirect(_next(self.request))


class EnrolView(SecondStepMixin, FormView):
    """First sign-in: scan the QR code (or type the secret) into an authenticator app, confirm with a code."""

    template_name = "security/enrol.html"
    form_class = EnrolForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not second_factor_done(request) and twofactor.is_enrolled(request.user):
            return redirect(f"{reverse('security:verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        device = twofactor.pending_device(self.request.user)
        ctx.update(qr=twofactor.qr_svg_data_uri(device), secret=twofactor.base32_secret(device),
                   next=_next(self.request))
        return ctx

    def form_valid(self, form):
        try:
            codes = twofactor.enrol_confirm(self.request, self.request.user, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"])
            return self.form_invalid(form)
        return render(self.request, "security/recovery_codes.html",
                      {"codes": codes, "next": _next(self.request), "first": True})


class RecoveryCodesView(LoginRequiredMixin, View):
    """A signed-in user replaces their recovery codes (shown once)."""

    def get(self, request):
        left = twofactor._recovery_left(request.user)
        return render(request, "security/recovery_codes.html", {"codes": None, "left": left})

    def post(self, request):
        codes = twofactor.recovery_codes_renew(request.user)
        return render(request, "security/recovery_codes.html", {"codes": codes, "next": "/"})


class PasswordView(LoginRequiredMixin, FormView):
    """Change one's password: every session of the user ends, sign in again (ASVS 7.4.3)."""

    template_name = "security/password.html"
    form_class = PasswordForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        form.save()
        logout(self.request)
        messages.success(self.request, _("密码已修改，所有登录会话均已结束，请用新密码重新登录。"))
        return redirect("login")


class TwoFactorListView(RoleRequiredMixin, ListView):
    """The system administrator: who has an authenticator; reset a lost one."""

    template_name = "security/two_factor_list.html"
    allowed_roles = twofactor.RESETTERS
    paginate_by = 50
    context_object_name = "staff"

    def get_queryset(self):
        return staff_two_factor(self.request.user, q=self.request.GET.get("q", "")[:50])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "q": self.request.GET.get("q", "")[:50]}


class TwoFactorResetView(RoleRequiredMixin, View):
    allowed_roles = twofactor.RESETTERS

    def post(self, request, pk):
        user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
        try:
            twofactor.reset(actor=request.user, user=user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("已重置 %(user)s 的双因素认证，其下次登录需重新绑定身份验证器。")
                             % {"user": user.username})
        return redirect("security:two_factor")
