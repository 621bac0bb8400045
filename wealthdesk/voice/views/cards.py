"""Needs cards and the questions on them (R20, R22)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.keyset import KeysetListMixin
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin, HtmxTemplateMixin

from .. import selectors, services
from ..choices import AnswerRoute, NeedCategory, QuestionStatus
from ..forms import AnswerForm, CardForm, QuestionForm, TellForm
from ..models import NeedsCard, NeedsQuestion
from .common import add_errors, error_lines, form_error_lines


class CardListView(CustomerDataMixin, HtmxTemplateMixin, KeysetListMixin, ListView):
    """Keyset pages of 25 with the bounded count (core.keyset): head office sees a page, never all the cards."""

    template_name = "voice/card_list.html"
    partial_template_name = "voice/_card_table.html"
    keyset_per_page = 25

    def get_queryset(self):
        p = self.request.GET
        return selectors.card_list(self.request.user, q=p.get("q", ""), category=p.get("category", ""),
                                   customer=p.get("customer", ""))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["categories"] = NeedCategory.choices
        ctx["can_create"] = scope_for(self.request.user).has(*services.CARD_WRITERS)
        return ctx


class CardCreateView(CustomerDataMixin, FormView):
    template_name = "voice/card_form.html"
    form_class = CardForm
    allowed_roles = services.CARD_WRITERS

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"card_date": timezone.localdate(), "customer": self.request.GET.get("customer")}

    def form_valid(self, form):
        data = form.cleaned_data
        needs = [{"category": c, "detail": data["detail"]} for c in data["categories"]]
        try:
            card = services.card_create(actor=self.request.user, customer=data["customer"], needs=needs,
                                        notes=data["notes"], card_date=data["card_date"])
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("需求卡已保存，可以继续记录客户的问题。"))
        return redirect("voice:card-detail", pk=card.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def render_card(request, card: NeedsCard, *, question_form=None, errors=(), status=200):
    """The card with its needs, its questions and the actions this user may take on each."""
    user = request.user
    can_write = scope_for(user).has(*services.CARD_WRITERS) and (
        card.client_manager_id == user.pk or scope_for(user).reach > 1)
    inbox_ids = set(NeedsQuestion.objects.inbox_for(user).filter(card=card).values_list("pk", flat=True))
    today = timezone.localdate()
    rows, remarks = [], []
    for q in card.questions.all():
        rows.append({"q": q, "overdue": q.is_overdue(today),
                     "can_answer": q.pk in inbox_ids and q.status != QuestionStatus.TOLD,
                     "can_tell": can_write and q.status == QuestionStatus.ANSWERED})
        if q.route == AnswerRoute.ON_SPOT and q.answer:  # the remarks, in the reader's language
            remarks.append(_("%(d)s 客户问：%(q)s；当场答复：%(a)s") % {"d": f"{q.asked_on:%Y-%m-%d}", "q": q.text,
                                                                "a": q.answer})
    ctx = {"card": card, "rows": rows, "can_write": can_write, "errors": errors, "today": today,
           "remarks": "\n".join(remarks) or card.remarks,
           "question_form": question_form or (QuestionForm(card=card) if can_write else None),
           "answer_form": AnswerForm(), "tell_form": TellForm(initial={"told_on": today})}
    return render(request, "voice/card_detail.html", ctx, status=status)


class CardDetailView(CustomerDataMixin, View):
    def get(self, request, pk):
        card = get_object_or_404(selectors.card_detail_queryset(request.user), pk=pk)
        audit_record(actor=request.user, action=AuditAction.VIEW, obj=card)
        return render_card(request, card)


class QuestionAddView(CustomerDataMixin, View):
    """POST a question onto a card: answered on the spot or routed (R22)."""

    allowed_roles = services.CARD_WRITERS

    def post(self, request, pk):
        card = get_object_or_404(selectors.card_detail_queryset(request.user), pk=pk)
        form = QuestionForm(request.POST, card=card)
        if not form.is_valid():
            return render_card(request, card, question_form=form, errors=form_error_lines(form), status=400)
        try:
            services.question_ask(actor=request.user, card=card, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            return render_card(request, card, question_form=form, errors=error_lines(exc, form), status=400)
        messages.success(request, _("问题已记录。"))
        return redirect("voice:card-detail", pk=card.pk)


class QuestionActionView(CustomerDataMixin, View):
    form_class = AnswerForm

    def act(self, question, data):  # pragma: no cover - each subclass acts
        raise NotImplementedError

    def post(self, request, pk):
        question = get_object_or_404(NeedsQuestion.objects.visible_to(request.user), pk=pk)
        card = get_object_or_404(selectors.card_detail_queryset(request.user), pk=question.card_id)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return render_card(request, card, errors=form_error_lines(form), status=400)
        try:
            self.act(question, form.cleaned_data)
        except ValidationError as exc:
            return render_card(request, card, errors=error_lines(exc, form),
                               status=409 if isinstance(exc, Conflict) else 400)
        messages.success(request, _("已保存。"))
        back = request.POST.get("next", "")
        if back.startswith("/voice/") and "//" not in back:
            return redirect(back)
        return redirect("voice:card-detail", pk=card.pk)


class QuestionAnswerView(QuestionActionView):
    """The person the question was routed to records the answer."""

    form_class = AnswerForm

    def act(self, question, data):
        services.question_answer(actor=self.request.user, question=question, answer=data["answer"],
                                 version=self.request.POST.get("version"))


class QuestionTellView(QuestionActionView):
    """The client manager records the day the customer was told."""

    form_class = TellForm

    def act(self, question, data):
        services.question_tell(actor=self.request.user, question=question, told_on=data["told_on"],
                               version=self.request.POST.get("version"))


class QuestionListView(CustomerDataMixin, ListView):
    """Open and overdue questions (client manager: mine; head: the center's) and the inbox of routed ones."""

    template_name = "voice/question_list.html"
    paginate_by = 50

    def get_queryset(self):
        p = self.request.GET
        box = p.get("box") or ("mine" if scope_for(self.request.user).reach == 1 else "")
        self.box = box
        return selectors.question_list(self.request.user, box=box, status=p.get("status", ""),
                                       overdue=p.get("overdue") == "1")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["box"], ctx["today"] = self.box, timezone.localdate()
        ctx["statuses"] = QuestionStatus.choices
        ctx["answer_form"] = AnswerForm()
        ctx["inbox_ids"] = set(NeedsQuestion.objects.inbox_for(self.request.user)
                               .filter(pk__in=[q.pk for q in ctx["object_list"]]).values_list("pk", flat=True))
        return ctx
