"""Archive pages: documents (list, upload, detail, download), paper files (list, register, detail with check
out / check in) and the keeper's list of departed managers' customers without archived material (R28, R29)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.masking import name_masker
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin

from . import selectors, services
from .choices import DocumentType, PaperFileStatus
from .forms import CheckOutForm, PaperFileForm, RevealDownloadForm, UploadForm
from .models import ArchiveDocument, PaperFile
from .roles import CUSTODY_WATCHERS, KEEPERS, METADATA_READERS, PAPER_READERS, UPLOADERS


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _int_param(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        from wealthdesk.core.dates import QueryParamError

        raise QueryParamError(name, _("参数 %(name)s 必须是正整数。") % {"name": name})
    return int(value)


def document_response(document: ArchiveDocument, data: bytes) -> HttpResponse:
    """Always an attachment with the file's own (sniffed) type, never rendered inline (R28)."""
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class DocumentListView(CustomerDataMixin, ListView):
    """The archive's documents in the user's scope (titles of ID copies masked)."""

    allowed_roles = METADATA_READERS
    template_name = "archive/document_list.html"
    paginate_by = 25

    def get_queryset(self):
        p = self.request.GET
        doc_type = p.get("doc_type", "")
        if doc_type and doc_type not in DocumentType.values:
            doc_type = ""
        return selectors.document_list(self.request.user, customer_id=_int_param(p.get("customer"), "customer"),
                                       doc_type=doc_type)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mask = name_masker(self.request.user)
        for doc in ctx["object_list"]:
            doc.customer_display = mask(doc.customer.name)
        ctx["doc_types"] = DocumentType.choices
        ctx["can_upload"] = scope_for(self.request.user).has(*UPLOADERS)
        return ctx


class DocumentUploadView(CustomerDataMixin, TemplateView):
    allowed_roles = UPLOADERS
    template_name = "archive/document_upload.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", UploadForm(user=self.request.user, initial={"customer": self.request.GET.get("customer")}
                                          if (self.request.GET.get("customer") or "").isdigit() else None))
        ctx["max_bytes"] = services.max_upload_bytes()
        return ctx

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_upload(actor=request.user, customer=data["customer"],
                                                    doc_type=data["doc_type"], title=data["title"],
                                                    upload=data["file"])
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("资料已加密归档（编号 %(id)s）。") % {"id": document.pk})
                return redirect("archive:document-detail", pk=document.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DocumentDetailView(CustomerDataMixin, TemplateView):
    allowed_roles = METADATA_READERS
    template_name = "archive/document_detail.html"

    def get_document(self) -> ArchiveDocument:
        return get_object_or_404(ArchiveDocument.objects.visible_to(self.request.user).listing(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        document = kwargs.get("document") or self.get_document()
        audit_record(actor=self.request.user, action=AuditAction.VIEW, obj=document, customer_id=document.customer_id,
                     unit_id=document.customer.center_id, detail={"what": "archive_document"})
        ctx.update(document=document, customer_display=name_masker(self.request.user)(document.customer.name),
                   can_download=services.can_read_content(self.request.user, document))
        ctx.setdefault("reveal_form", RevealDownloadForm())
        return ctx


class DocumentDownloadView(DocumentDetailView):
    """GET downloads an ordinary document; an ID copy is revealed only by a POST with a reason (audited)."""

    def get(self, request, *args, **kwargs):
        document = self.get_document()
        if document.is_id_copy:
            messages.error(request, _("下载身份证件复印件须填写查看原因。"))
            return redirect("archive:document-detail", pk=document.pk)
        return self._serve(document, "")

    def post(self, request, *args, **kwargs):
        document = self.get_document()
        form = RevealDownloadForm(request.POST)
        if form.is_valid():
            try:
                return self._serve(document, form.cleaned_data["reason"])
            except ValidationError as exc:
                _form_errors(form, exc)
        return self.render_to_response(self.get_context_data(document=document, reveal_form=form), status=400)

    def _serve(self, document, reason):
        if not services.can_read_content(self.request.user, document):
            raise PermissionDenied(_("您的岗位只能查看档案目录，不能下载档案内容。"))
        return document_response(document, services.document_open(actor=self.request.user, document=document,
                                                                  reason=reason))


class PaperFileListView(CustomerDataMixin, ListView):
    """Paper files in the user's scope; ``?status=out`` what is out, ``?overdue=1`` what is overdue."""

    allowed_roles = PAPER_READERS
    template_name = "archive/paper_list.html"
    paginate_by = 25

    def get_queryset(self):
        p = self.request.GET
        status = p.get("status", "") if p.get("status", "") in PaperFileStatus.values else ""
        return selectors.paper_file_list(self.request.user, status=status, overdue=p.get("overdue") == "1",
                                         today=timezone.localdate(),
                                         customer_id=_int_param(p.get("customer"), "customer"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mask = name_masker(self.request.user)
        for paper in ctx["object_list"]:
            paper.customer_display = mask(paper.customer.name)
            paper.overdue_flag = paper.is_overdue(timezone.localdate())
        ctx["today"] = timezone.localdate()
        ctx["statuses"] = PaperFileStatus.choices
        ctx["is_keeper"] = scope_for(self.request.user).has(*KEEPERS)
        ctx["counts"] = selectors.custody_counts(self.request.user, ctx["today"])
        return ctx


class PaperFileCreateView(CustomerDataMixin, TemplateView):
    allowed_roles = KEEPERS
    template_name = "archive/paper_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", PaperFileForm(user=self.request.user))
        return ctx

    def post(self, request):
        form = PaperFileForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                paper = services.paper_file_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("纸质档案 %(ref)s 已登记。") % {"ref": paper.reference})
                return redirect("archive:paper-detail", pk=paper.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PaperFileDetailView(CustomerDataMixin, TemplateView):
    """One paper file: where it is, who has it, its loans; the keeper checks it out and back in here."""

    allowed_roles = PAPER_READERS
    template_name = "archive/paper_detail.html"

    def get_paper(self) -> PaperFile:
        return get_object_or_404(PaperFile.objects.visible_to(self.request.user)
                                 .select_related("customer", "holder", "center"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        paper = kwargs.get("paper") or self.get_paper()
        user = self.request.user
        is_keeper = scope_for(user).has(*KEEPERS) and user.unit_id == paper.center_id
        paper.overdue_flag = paper.is_overdue(timezone.localdate())
        ctx.update(paper=paper, customer_display=name_masker(user)(paper.customer.name), is_keeper=is_keeper,
                   history=selectors.checkout_history(user, paper)[:50], today=timezone.localdate())
        if is_keeper and paper.status == PaperFileStatus.IN:
            ctx.setdefault("checkout_form", CheckOutForm(center_id=paper.center_id, initial={"version": paper.version}))
        return ctx

    def post(self, request, pk):
        paper = self.get_paper()
        action = request.POST.get("action", "")
        form = None
        try:
            if action == "check_out":
                form = CheckOutForm(request.POST, center_id=paper.center_id)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(paper=paper, checkout_form=form), status=400)
                data = form.cleaned_data
                services.paper_file_check_out(actor=request.user, paper_file=paper, holder=data["holder"],
                                              purpose=data["purpose"], due_back_on=data["due_back_on"],
                                              version=data["version"])
                messages.success(request, _("已借出给 %(who)s。") % {"who": data["holder"]})
            elif action == "check_in":
                services.paper_file_check_in(actor=request.user, paper_file=paper, version=request.POST.get("version"))
                messages.success(request, _("纸质档案已归还入库。"))
            else:
                messages.error(request, _("未知操作。"))
                return self.render_to_response(self.get_context_data(paper=paper), status=400)
        except ValidationError as exc:
            paper.refresh_from_db()
            if form is not None:
                _form_errors(form, exc)
                return self.render_to_response(self.get_context_data(paper=paper, checkout_form=form), status=400)
            for msgs in exc.message_dict.values():
                for m in msgs:
                    messages.error(request, m)
            return self.render_to_response(self.get_context_data(paper=paper), status=400)
        return redirect("archive:paper-detail", pk=paper.pk)


class DeparturesView(CustomerDataMixin, TemplateView):
    """The keeper's list (R29): customers of client managers who left or handed their book over, with no archived
    material yet."""

    allowed_roles = CUSTODY_WATCHERS
    template_name = "archive/departures.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        inactive, handed_over = selectors.departed_without_material(self.request.user, timezone.localdate())
        p = self.request.GET
        ctx["inactive_page"] = Paginator(inactive, 25).get_page(p.get("page_inactive"))
        ctx["handed_page"] = Paginator(handed_over, 25).get_page(p.get("page_handed"))
        mask = name_masker(self.request.user)
        for c in ctx["inactive_page"]:
            c.customer_display = mask(c.name)
        for a in ctx["handed_page"]:
            a.customer_display = mask(a.customer.name)
        audit_record(actor=self.request.user, action=AuditAction.LIST, unit_id=self.request.user.unit_id,
                     detail={"what": "archive_departures", "inactive": ctx["inactive_page"].paginator.count,
                             "handed_over": ctx["handed_page"].paginator.count})
        return ctx
