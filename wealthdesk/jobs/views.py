"""/jobs/ (my background jobs) and /jobs/<id>/ (one job's progress, refreshed by htmx until it ends)."""
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from wealthdesk.core.roles import Role
from wealthdesk.core.views import HtmxTemplateMixin, RoleRequiredMixin

from . import selectors, services
from .registry import job_kinds

# Least privilege: an external advisor never starts background work and sees no jobs page (R4).
JOB_ROLES = frozenset(Role) - {Role.FINANCIAL_ADVISOR}


class JobListView(RoleRequiredMixin, ListView):
    allowed_roles = JOB_ROLES
    template_name = "jobs/job_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.job_list(self.request.user)



class JobDetailView(RoleRequiredMixin, HtmxTemplateMixin, DetailView):
    allowed_roles = JOB_ROLES
    template_name = "jobs/job_detail.html"
    partial_template_name = "jobs/_progress.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.job_list(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["label"] = self.object.label
        ctx["result_url"] = services.result_url(self.object) if self.object.kind in job_kinds() else ""
        return ctx
