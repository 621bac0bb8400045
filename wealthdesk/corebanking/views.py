"""Import pages (R8, R29): batch list, upload, detail with every error, reject-file download, rollback."""
from __future__ import annotations

import csv
import io
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from wealthdesk.core.exports import export_response
from wealthdesk.core.masking import mask_identifiers_in_text
from wealthdesk.core.views import RoleRequiredMixin
from wealthdesk.jobs.choices import JobStatus
from wealthdesk.jobs.services import enqueue
from wealthdesk.orgs.choices import UnitKind

from . import selectors, services
from .choices import BatchStatus, FollowupStatus, ImportKind
from .forms import ImportForm
from .importing import templates
from .models import ImportBatch


class ImportListView(RoleRequiredMixin, ListView):
    template_name = "corebanking/import_list.html"
    allowed_roles = services.BATCH_VIEWERS
    paginate_by = 25
    context_object_name = "batches"

    def get_queryset(self):
        p = self.request.GET
        return selectors.batch_list(self.request.user, kind=p.get("kind", ""), status=p.get("status", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = ImportKind.choices
        ctx["statuses"] = BatchStatus.choices
        ctx["can_upload"] = bool(services.loadable_kinds(self.request.user))
        return ctx


class ImportUploadView(RoleRequiredMixin, View):
    template_name = "corebanking/import_form.html"
    allowed_roles = services.BATCH_VIEWERS

    def _form(self, data=None, files=None):
        return ImportForm(data, files, kinds=services.loadable_kinds(self.request.user))

    def _context(self, form) -> dict:
        kinds = dict(ImportKind.choices)
        return {"form": form, "formats": templates.FORMATS,
                "layouts": [{"kind": k, "label": kinds[k], "columns": templates.column_rules(k)}
                            for k in services.loadable_kinds(self.request.user)]}

    def get(self, request):
        return render(request, self.template_name, self._context(self._form()))

    def post(self, request):
        form = self._form(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self._context(form), status=400)
        upload = form.cleaned_data["file"]
        if not services.can_load(request.user, form.cleaned_data["kind"]):
            raise PermissionDenied
        job, _created = enqueue("corebanking.load", key=f"corebanking.load:{uuid.uuid4()}", user=request.user,
                                payload=upload.read(), params={
                                    "kind": form.cleaned_data["kind"], "file_name": upload.name,
                                    "as_of": form.cleaned_data["as_of"].isoformat() if form.cleaned_data["as_of"]
                                    else "", "skip_bad_rows": form.cleaned_data["skip_bad_rows"], "source": "web"})
        if not job.finished:  # a worker loads it: follow the progress page
            messages.info(request, _("文件已提交后台导入，可离开此页面，稍后在“后台任务”中查看结果。"))
            return redirect("jobs:detail", pk=job.pk)
        if job.status == JobStatus.FAILED:
            messages.error(request, _("导入失败：%(e)s") % {"e": job.error})
            return redirect("jobs:detail", pk=job.pk)
        batch = ImportBatch.objects.get(pk=job.result["batch"])
        announce_load(request, batch, job.result["created"])
        return redirect("corebanking:detail", pk=batch.pk)


def announce_load(request, batch, created: bool) -> None:
    """The messages after a load, the same whether it ran in the request or on a worker."""
    if not created:
        messages.info(request, _("该文件已于 %(t)s 导入（批次 #%(id)s），未重复导入。")
                      % {"t": batch.created_at.strftime("%Y-%m-%d %H:%M"), "id": batch.pk})
    elif batch.status == BatchStatus.LOADED:
        messages.success(request, _("导入成功：%(n)s 行。") % {"n": batch.rows_loaded})
        if batch.followup_status == FollowupStatus.FAILED:
            messages.warning(request, FOLLOWUP_FAILED)
    else:
        messages.error(request, _("文件有错误，未导入任何数据，请修正后重新上传。"))


class ImportTemplateView(RoleRequiredMixin, View):
    """``/corebanking/imports/template/<kind>.<csv|xlsx>``: the header row and one example row of a file kind,
    generated from the layouts. The customer template's example names the user's own center."""

    allowed_roles = services.BATCH_VIEWERS

    def get(self, request, kind, fmt):
        if kind not in ImportKind.values or fmt not in templates.FORMATS:
            raise Http404(_("没有这种文件模板。"))
        examples = {}
        unit = request.user.unit
        if kind == ImportKind.CUSTOMERS and unit is not None and unit.kind == UnitKind.CENTER:
            examples["center_code"] = unit.code
        name = f"template-{kind}.{fmt}"
        if fmt == "csv":
            response = HttpResponse(templates.template_csv(kind, examples), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(templates.template_xlsx(kind, examples), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportDetailView(RoleRequiredMixin, DetailView):
    template_name = "corebanking/import_detail.html"
    allowed_roles = services.BATCH_VIEWERS
    context_object_name = "batch"

    def get_queryset(self):
        return ImportBatch.objects.visible_to(self.request.user).select_related("created_by", "rolled_back_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        batch = self.object
        ctx["can_rollback"] = batch.status == BatchStatus.LOADED and services.can_load(self.request.user, batch.kind)
        ctx["rollback_blocker"] = services.rollback_blocker(batch) if ctx["can_rollback"] else ""
        return ctx


class ImportRejectsView(RoleRequiredMixin, View):
    allowed_roles = services.BATCH_VIEWERS

    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
        if not batch.reject_file:
            raise PermissionDenied(_("该批次没有拒绝行文件。"))
        reader = csv.reader(io.StringIO(batch.reject_file, newline=""))
        headers = next(reader, [])
        # Masked again on the way out, so files kept before masking existed never leave in clear.
        rows = ([mask_identifiers_in_text(v) for v in row] for row in reader)
        return export_response(user=request.user, title=_("《核心系统导入拒绝行》"), headers=headers, rows=rows,
                               fmt="csv", filename=f"rejects-{batch.pk}.csv", audit_obj=batch,
                               audit_detail={"reject_file": True, "batch": batch.pk}, customer_data=True)


FOLLOWUP_FAILED = _("数据已导入，但导入后的级别重算或预警扫描未能完成；请在批次页面点击“重新执行后续处理”。")


class ImportFollowupView(RoleRequiredMixin, View):
    """POST: run a loaded batch's derived work (tiers, downgrade alerts, the scan) again."""

    allowed_roles = services.BATCH_VIEWERS

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
        try:
            batch = services.batch_followup_rerun(actor=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            if batch.followup_status == FollowupStatus.DONE:
                messages.success(request, _("后续处理已完成。"))
            else:
                messages.error(request, _("后续处理再次失败：%(e)s") % {"e": batch.followup_error})
        return redirect("corebanking:detail", pk=batch.pk)


class ImportRollbackView(RoleRequiredMixin, View):
    allowed_roles = services.BATCH_VIEWERS

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.visible_to(request.user), pk=pk)
        try:
            services.batch_rollback(actor=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("批次 #%(id)s 已回滚。") % {"id": batch.pk})
        return redirect("corebanking:detail", pk=batch.pk)
