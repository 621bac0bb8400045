"""The notification inbox: the bell's unread count (an htmx fragment), the inbox page and marking read."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from . import notifications
from .models import Notification


class NotificationBellView(LoginRequiredMixin, View):
    """The navbar bell: loaded by htmx after the page, so list pages keep their query counts."""

    def get(self, request):
        return render(request, "core/_bell_count.html", {"unread": notifications.unread_count(request.user)})


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "core/notifications.html"
    paginate_by = 30

    def get_queryset(self):
        qs = Notification.objects.visible_to(self.request.user)
        if self.request.GET.get("unread") == "1":
            qs = qs.unread()
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread"] = notifications.unread_count(self.request.user)
        ctx["only_unread"] = self.request.GET.get("unread") == "1"
        return ctx


class NotificationReadView(LoginRequiredMixin, View):
    """POST ``id`` (one) or nothing (all unread) → marked read; ``open=1`` then follows the notification's link."""

    def post(self, request):
        raw = request.POST.get("id", "").strip()
        if raw:
            if not raw.isdigit():
                messages.error(request, _("通知编号：请提供数字编号。"))
                return redirect("core:notifications")
            note = Notification.objects.visible_to(request.user).filter(pk=int(raw)).first()
            if note is None:
                messages.error(request, _("通知编号：没有这条通知。"))
                return redirect("core:notifications")
            notifications.mark_read(actor=request.user, ids=[note.pk])
            if request.POST.get("open") == "1" and note.url and url_has_allowed_host_and_scheme(
                    note.url, allowed_hosts={request.get_host()}):
                return redirect(note.url)
        else:
            n = notifications.mark_read(actor=request.user)
            messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": n})
        return redirect("core:notifications")
