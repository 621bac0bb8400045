"""Small builders for the voice tests, all going through the services (as the pages do)."""
import datetime as dt

from django.utils import timezone

from wealthdesk.voice import services
from wealthdesk.voice.choices import SurveyQuestionKind


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def make_card(world, *, actor="cm_c1_1", customer="cust_a", needs=("investment",), card_date=None, questions=()):
    return services.card_create(actor=world.users[actor], customer=world.customers[customer],
                                needs=[{"category": c, "detail": ""} for c in needs], card_date=card_date,
                                questions=questions)


def routed(world, route="supervisor", *, card=None, asked_on=None, text="理财产品收益怎么计算？"):
    card = card or make_card(world, card_date=asked_on)
    return services.question_ask(actor=world.users["cm_c1_1"], card=card, text=text, route=route, asked_on=asked_on)


def make_survey(world, *, actor="hq_service", publish=True):
    survey = services.survey_create(actor=world.users[actor], title="投资偏好调研", questions=[
        {"kind": SurveyQuestionKind.SINGLE, "text": "您最关注什么？", "options": ["收益", "安全", "流动性"]},
        {"kind": SurveyQuestionKind.MULTIPLE, "text": "您持有哪些产品？", "options": ["基金", "保险", "理财"]},
        {"kind": SurveyQuestionKind.SCALE, "text": "对服务的满意度", "options": []},
        {"kind": SurveyQuestionKind.TEXT, "text": "其他建议", "required": False},
    ])
    if publish:
        services.survey_publish(actor=world.users[actor], survey=survey)
    return survey


def answers_for(survey, single="安全", multiple=("基金",), scale=4, text="希望多办讲座"):
    qs = list(survey.questions.order_by("position"))
    return {str(qs[0].pk): single, str(qs[1].pk): list(multiple), str(qs[2].pk): scale, str(qs[3].pk): text}
