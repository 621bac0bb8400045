"""Surveys (R21): the builder for head office, a branch or a center head; responses by client managers."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from wealthdesk.core.scoping import scope_for
from wealthdesk.core.views import CustomerDataMixin, RoleRequiredMixin

from .. import selectors, services
from ..choices import SurveyStatus
from ..forms import ResponseForm, SurveyForm, SurveyQuestionForm
from ..models import SURVEY_ROLES, Survey, SurveyResponse
from .common import add_errors, error_lines, form_error_lines


class SurveyListView(RoleRequiredMixin, ListView):
    allowed_roles = SURVEY_ROLES
    template_name = "voice/survey_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.survey_list(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_build"] = scope_for(self.request.user).has(*services.SURVEY_BUILDERS)
        return ctx


class SurveyCreateView(RoleRequiredMixin, FormView):
    allowed_roles = services.SURVEY_BUILDERS
    template_name = "voice/survey_form.html"
    form_class = SurveyForm

    def form_valid(self, form):
        try:
            survey = services.survey_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return redirect("voice:survey-detail", pk=survey.pk)


def _survey(request, pk):
    return get_object_or_404(Survey.objects.visible_to(request.user).select_related("owner_unit"), pk=pk)


class SurveyDetailView(RoleRequiredMixin, View):
    """The survey with its questions; the building unit adds questions, publishes and closes it."""

    allowed_roles = SURVEY_ROLES

    def render(self, survey, form=None, errors=(), status=200):
        scope = scope_for(self.request.user)
        is_owner = scope.has(*services.SURVEY_BUILDERS) and survey.owner_unit_id == scope.unit_id
        my_responses = SurveyResponse.objects.visible_to(self.request.user).filter(survey=survey)
        ctx = {"survey": survey, "questions": survey.questions.order_by("position", "id"), "is_owner": is_owner,
               "form": form or SurveyQuestionForm(), "errors": errors,
               "can_respond": survey.status == SurveyStatus.OPEN and scope.has(*services.CARD_WRITERS),
               "response_count": my_responses.count()}
        return render(self.request, "voice/survey_detail.html", ctx, status=status)

    def get(self, request, pk):
        return self.render(_survey(request, pk))

    def post(self, request, pk):
        survey = _survey(request, pk)
        action = request.POST.get("action", "add")
        form = None
        try:
            if action == "publish":
                services.survey_publish(actor=request.user, survey=survey)
                messages.success(request, _("调研已发布。"))
            elif action == "close":
                services.survey_close(actor=request.user, survey=survey)
                messages.success(request, _("调研已结束。"))
            else:
                form = SurveyQuestionForm(request.POST)
                if not form.is_valid():
                    return self.render(survey, form=form, errors=form_error_lines(form), status=400)
                services.survey_add_question(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            if form is not None:
                add_errors(form, exc)
            return self.render(survey, form=form, errors=error_lines(exc, form), status=400)
        return redirect("voice:survey-detail", pk=survey.pk)


class ResponseCreateView(CustomerDataMixin, View):
    """A client manager records one customer's answers; an answer that doesn't fit its type is refused."""

    allowed_roles = services.CARD_WRITERS

    def render(self, survey, form, status=200):
        return render(self.request, "voice/response_form.html", {"survey": survey, "form": form}, status=status)

    def get(self, request, pk):
        survey = _survey(request, pk)
        form = ResponseForm(user=request.user, questions=list(survey.questions.order_by("position", "id")),
                            initial={"responded_on": timezone.localdate(), "customer": request.GET.get("customer")})
        return self.render(survey, form)

    def post(self, request, pk):
        survey = _survey(request, pk)
        form = ResponseForm(request.POST, user=request.user,
                            questions=list(survey.questions.order_by("position", "id")))
        if not form.is_valid():
            return self.render(survey, form, status=400)
        try:
            services.response_record(actor=request.user, survey=survey, customer=form.cleaned_data["customer"],
                                     answers=form.answers(), responded_on=form.cleaned_data["responded_on"])
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render(survey, form, status=400)
        messages.success(request, _("答卷已保存。"))
        return redirect("voice:survey-detail", pk=survey.pk)


class ResponseListView(CustomerDataMixin, ListView):
    template_name = "voice/response_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.survey = _survey(self.request, self.kwargs["pk"])
        return SurveyResponse.objects.visible_to(self.request.user).filter(survey=self.survey) \
            .select_related("customer", "client_manager", "center").order_by("-responded_on", "-id")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "survey": self.survey}
