"""Pages of the VIP bulletin (R40): the issues, one issue (articles, publishing, reach per unit), a new issue, and
the client manager's list to mark which customers received it."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from wealthdesk.contacts.viewutils import add_service_errors
from wealthdesk.core.access_audit import audit_list_view
from wealthdesk.core.masking import mask_mobile, name_masker
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin, RoleRequiredMixin
from wealthdesk.customers.choices import Tier
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from . import bulletins, selectors
from .choices import IssueStatus
from .forms import IssueForm, PublishForm
from .models import BULLETIN_EDITORS, BULLETIN_READERS, BulletinIssue, BulletinReceipt


class IssueListView(RoleRequiredMixin, ListView):
    allowed_roles = BULLETIN_READERS
    template_name = "cases/issue_list.html"
    paginate_by = 20

    def get_queryset(self):
        return selectors.issues(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = scope_for(self.request.user).has(*BULLETIN_EDITORS)
        return ctx


def _issue(request, pk) -> BulletinIssue:
    return get_object_or_404(selectors.issues(request.user), pk=pk)


def _publish_units():
    return OrgUnit.objects.filter(kind__in=[UnitKind.HEAD_OFFICE, UnitKind.BRANCH1, UnitKind.BRANCH2,
                                            UnitKind.SUBBRANCH], is_active=True).order_by("path")


def render_issue(request, issue, publish_form=None, status=200):
    user = request.user
    editor = scope_for(user).has(*BULLETIN_EDITORS)
    ctx = {"issue": issue, "articles": list(issue.articles.all()), "editor": editor,
           "tiers": [Tier(t).label for t in issue.tiers], "units": list(issue.units.order_by("path")),
           "can_mark": scope_for(user).has(*bulletins.MARKERS) and issue.status == IssueStatus.PUBLISHED,
           "publish_form": publish_form or (PublishForm(units=_publish_units())
                                            if editor and issue.status == IssueStatus.DRAFT else None)}
    if issue.status == IssueStatus.PUBLISHED and user.unit_id and scope_for(user).has(*BULLETIN_READERS):
        root = get_object_or_404(OrgUnit, pk=request.GET.get("unit")) if str(request.GET.get("unit", "")).isdigit() \
            else user.unit
        if not root.path.startswith(user.unit.path):
            root = user.unit
        ctx.update(reach_root=root, reach=bulletins.reach_rows(user, issue, root))
    return render(request, "cases/issue_detail.html", ctx, status=status)


class IssueDetailView(RoleRequiredMixin, View):
    allowed_roles = BULLETIN_READERS

    def get(self, request, pk):
        return render_issue(request, _issue(request, pk))


class IssueCreateView(RoleRequiredMixin, View):
    allowed_roles = BULLETIN_EDITORS

    def get(self, request):
        return render(request, "cases/issue_form.html", {"form": IssueForm()})

    def post(self, request):
        form = IssueForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                issue = bulletins.issue_create(actor=request.user, issue_no=d["issue_no"], title=d["title"],
                                               articles=[(d["article1_title"], d["article1_body"]),
                                                         (d["article2_title"], d["article2_body"])])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("专刊已保存为草稿。"))
                return redirect("cases:issue", pk=issue.pk)
        return render(request, "cases/issue_form.html", {"form": form}, status=400)


class IssuePublishView(RoleRequiredMixin, View):
    allowed_roles = BULLETIN_EDITORS

    def post(self, request, pk):
        issue = _issue(request, pk)
        form = PublishForm(request.POST, units=_publish_units())
        if form.is_valid():
            d = form.cleaned_data
            try:
                bulletins.issue_publish(actor=request.user, issue=issue, tiers=d["tiers"],
                                        units=list(OrgUnit.objects.filter(pk__in=d["units"])))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("专刊已发布。"))
                return redirect("cases:issue", pk=issue.pk)
        return render_issue(request, issue, publish_form=form, status=400)


class RecipientsView(CustomerDataMixin, View):
    """The client manager's customers the issue was sent to, masked, with a bulk "received" mark."""

    allowed_roles = bulletins.MARKERS

    def _render(self, request, issue, errors=(), status=200):
        customers = bulletins.eligible_customers(request.user, issue).order_by("-aum_avg", "id")
        page = Paginator(customers, 50).get_page(request.GET.get("page"))
        got = set(BulletinReceipt.objects.filter(issue=issue, customer_id__in=[c.pk for c in page])
                  .values_list("customer_id", flat=True))
        mask = name_masker(request.user)
        rows = [{"id": c.pk, "name": mask(c.name), "cif_no": c.cif_no, "tier": c.get_tier_display(),
                 "mobile": mask_mobile(c.mobile),
                 "received": c.pk in got} for c in page]
        audit_list_view(request, what="BulletinRecipients", count=page.paginator.count)
        return render(request, "cases/recipients.html", {"issue": issue, "rows": rows, "page_obj": page,
                                                         "errors": list(errors)}, status=status)

    def get(self, request, pk):
        return self._render(request, _issue(request, pk))

    def post(self, request, pk):
        issue = _issue(request, pk)
        try:
            n = bulletins.receipts_mark(actor=request.user, issue=issue, customer_ids=request.POST.getlist("customer"))
        except ValidationError as exc:
            return self._render(request, issue, [m for msgs in exc.message_dict.values() for m in msgs], status=400)
        messages.success(request, _("已登记 %(n)s 位客户收到专刊。") % {"n": n})
        return redirect("cases:recipients", pk=issue.pk)
