"""Forms of the customer-voice pages; choices always come from the user's own scope."""
from django import forms
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.dates import SaneDateField
from wealthdesk.core.roles import Role
from wealthdesk.core.widgets import DateInput
from wealthdesk.customers.forms import customer_picker
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import User

from .choices import AnswerRoute, NeedCategory, OpinionKind, ServicePosition, SurveyQuestionKind
from .models import SurveyQuestion


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def customer_field(user) -> forms.ModelChoiceField:
    """A customer within the user's scope, chosen with the search-as-you-type picker (core.picker)."""
    return forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.visible_to(user).order_by("name"),
                                  widget=customer_picker())


class CardForm(StyledForm):
    """A 《客户需求卡》: the customer, the categories of need (with the customer's words), notes."""

    card_date = SaneDateField(label=_("填写日期"), widget=DateInput())
    categories = forms.MultipleChoiceField(label=_("需求类别"), choices=NeedCategory.choices,
                                           widget=forms.CheckboxSelectMultiple)
    detail = forms.CharField(label=_("具体需求"), max_length=300, required=False)
    notes = forms.CharField(label=_("需求说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"customer": customer_field(user), **self.fields}


class QuestionForm(StyledForm):
    text = forms.CharField(label=_("客户的问题"), max_length=500)
    route = forms.ChoiceField(label=_("答复方式"), choices=AnswerRoute.choices)
    answer = forms.CharField(label=_("当场答复内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    assignee = forms.ModelChoiceField(label=_("指定答复人"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, card=None, **kwargs):
        super().__init__(*args, **kwargs)
        if card is not None:
            self.fields["assignee"].queryset = User.objects.filter(
                unit_id=card.center_id, is_active=True,
                role_assignments__role__in=[Role.BUSINESS_SUPERVISOR, Role.TEAM_LEAD]).distinct().order_by("username")


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))


class TellForm(StyledForm):
    told_on = SaneDateField(label=_("告知客户日期"), widget=DateInput())


class NeedsSummaryForm(StyledForm):
    commentary = forms.CharField(label=_("需求分析"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    marketing_advice = forms.CharField(label=_("营销建议"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    product_advice = forms.CharField(label=_("产品配置建议"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SurveyReportForm(StyledForm):
    analysis = forms.CharField(label=_("分析意见"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class MonthForm(StyledForm):
    month = forms.CharField(label=_("月份"), widget=forms.TextInput(attrs={"type": "month"}))


class SurveyForm(StyledForm):
    title = forms.CharField(label=_("调研主题"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SurveyQuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("题型"), choices=SurveyQuestionKind.choices)
    text = forms.CharField(label=_("题目"), max_length=300)
    options = forms.CharField(label=_("选项（每行一个，仅单选/多选）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)


class LooseChoiceField(forms.ChoiceField):
    """Renders the choices but leaves checking to the service, whose message names the question."""

    def validate(self, value):
        pass


class LooseMultipleChoiceField(forms.MultipleChoiceField):
    def validate(self, value):
        pass


class ResponseForm(StyledForm):
    """One field per survey question, named ``q_<id>``; the service checks every answer against its type."""

    responded_on = SaneDateField(label=_("调研日期"), widget=DateInput())

    def __init__(self, *args, user, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"customer": customer_field(user), **self.fields}
        for q in questions:
            label = f"{q.position}. {q.text}"
            name = f"q_{q.pk}"
            if q.kind == SurveyQuestionKind.SINGLE:
                field = LooseChoiceField(label=label, choices=[(o, o) for o in q.options], widget=forms.RadioSelect,
                                          required=False)
            elif q.kind == SurveyQuestionKind.MULTIPLE:
                field = LooseMultipleChoiceField(label=label, choices=[(o, o) for o in q.options], required=False,
                                                  widget=forms.CheckboxSelectMultiple)
            elif q.kind == SurveyQuestionKind.SCALE:
                field = LooseChoiceField(label=label, choices=[(str(i), str(i)) for i in range(1, 6)],
                                          widget=forms.RadioSelect, required=False)
            else:
                field = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2,
                                                                                                  "class": "form-control"}))
            self.fields[name] = field
        self.questions = questions

    def answers(self) -> dict:
        """Raw values keyed by question id; invalid choices are passed on so the service names the question."""
        out = {}
        for q in self.questions:
            name = f"q_{q.pk}"
            raw = self.data.getlist(name) if q.kind == SurveyQuestionKind.MULTIPLE else self.data.get(name, "")
            out[str(q.pk)] = raw
        return out


class OpinionPublicForm(StyledForm):
    """The public opinion book: nothing but what the customer chooses to write. ``website`` is a honeypot."""

    kind = forms.ChoiceField(label=_("留言类型"), choices=OpinionKind.choices, initial=OpinionKind.OPINION)
    content = forms.CharField(label=_("您的意见或需求"), widget=forms.Textarea(attrs={"rows": 5}))
    rating = forms.ChoiceField(label=_("对我们服务的评分（可选）"), required=False,
                               choices=[("", "—")] + [(str(i), f"{i}★") for i in range(1, 6)])
    product_line = forms.ChoiceField(label=_("涉及哪类业务（可选）"), required=False,
                                     choices=[("", "—"), *NeedCategory.choices])
    position = forms.ChoiceField(label=_("涉及哪个柜台或岗位（可选）"), required=False,
                                 choices=[("", "—"), *ServicePosition.choices])
    name = forms.CharField(label=_("称呼（可选）"), required=False)
    contact = forms.CharField(label=_("联系方式（可选，希望回复时填写）"), required=False)
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))


class AssignForm(StyledForm):
    assignee = forms.ModelChoiceField(label=_("分派给"), queryset=User.objects.none())
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def __init__(self, *args, center_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(unit_id=center_id, is_active=True).order_by("username")


class CloseForm(StyledForm):
    note = forms.CharField(label=_("处理说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ToCardForm(StyledForm):
    category = forms.ChoiceField(label=_("需求类别"), choices=NeedCategory.choices, initial=NeedCategory.OTHER)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"customer": customer_field(user), **self.fields}


class ToComplaintForm(StyledForm):
    """The complaint category (the complaints app's choices, read when the form is built)."""

    category = forms.ChoiceField(label=_("投诉类别"), choices=[("other", _("其他"))], initial="other")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            from wealthdesk.complaints.choices import Category
        except ImportError:  # pragma: no cover - the complaints app is part of the project
            return
        self.fields["category"].choices = Category.choices
