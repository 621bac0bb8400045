"""Who may open every voice page and API endpoint (R20–R24; DESIGN rules 1 and 9)."""
import pytest

from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.voice import services
from wealthdesk.voice.models import NeedsSummary, SurveyReport

from .helpers import answers_for, make_card, make_survey, routed

NO_CUSTOMER_ROLE = ("teller_c1", "lobby_c1", "advisor_1", "admin")


@pytest.fixture(autouse=True)
def voice_data(world):
    world.card = make_card(world)
    world.card_c2 = make_card(world, actor="cm_c2_1", customer="cust_b")
    world.question = routed(world, "supervisor", card=world.card)
    world.survey = make_survey(world)
    world.response = services.response_record(actor=world.cm_c1_1, survey=world.survey, customer=world.cust_a,
                                              answers=answers_for(world.survey))
    world.opinion = services.opinion_post(unit=world.c1, content="大堂等候时间太长了", ip="10.0.0.1")
    world.summary = services.report_build(actor=world.head_c1, model=NeedsSummary, center=world.c1,
                                          month=world.card.card_date)
    world.sreport = services.report_build(actor=world.head_c1, model=SurveyReport, center=world.c1,
                                          month=world.card.card_date)


class TestCardListPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1", "supervisor_c1", "branch1_service", "hq_service", "cm_c2_1")
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/voice/"


class TestCardDetailPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1", "supervisor_c1", "subbranch1_service", "branch1_service",
               "hq_service")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/voice/cards/{world.card.pk}/"


class TestCardCreatePage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1")
    forbidden = ("supervisor_c1", "hq_service", "teller_c1", "lobby_c1", "admin")

    def url(self, world):
        return "/voice/cards/new/"


class TestQuestionAddEndpoint(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("supervisor_c1", "teller_c1", "admin")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/voice/cards/{world.card.pk}/questions/"

    def payload(self, world):
        return {"text": "定投怎么设置？", "route": "on_spot", "answer": "在手机银行设置"}


class TestQuestionAnswerEndpoint(AccessMatrix):
    """Only the person the question is routed to answers it (R22)."""

    method = "post"
    ok_status = (302,)
    allowed = ("supervisor_c1",)
    forbidden = ("cm_c1_1", "head_c1", "lead_c1", "teller_c1")
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/voice/questions/{world.question.pk}/answer/"

    def payload(self, world):
        return {"answer": "按实际天数计息"}


class TestQuestionListPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "supervisor_c1", "branch1_service", "hq_service")
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/voice/questions/"


class TestNeedsSummaryListPage(AccessMatrix):
    allowed = ("head_c1", "head_c2", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", "lead_c1", "teller_c1", "admin")

    def url(self, world):
        return "/voice/summaries/"


class TestNeedsSummaryDetailPage(AccessMatrix):
    allowed = ("head_c1", "supervisor_c1")
    forbidden = ("cm_c1_1", "teller_c1", "admin")
    hidden = ("head_c2", "subbranch1_service", "branch1_service")  # not submitted yet: upper levels don't see drafts

    def url(self, world):
        return f"/voice/summaries/{world.summary.pk}/"


class TestNeedsSummaryExport(AccessMatrix):
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/voice/summaries/{world.summary.pk}/export/"


class TestNeedsSummaryBuildEndpoint(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("head_c1", "head_c2")
    forbidden = ("cm_c1_1", "supervisor_c1", "branch1_service", "teller_c1")

    def url(self, world):
        return "/voice/summaries/build/"

    def payload(self, world):
        return {"month": f"{world.card.card_date:%Y-%m}"}


class TestSurveyListPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "hq_service", "branch1_service", "cm_c2_1")
    forbidden = ("teller_c1", "lobby_c1", "admin", "advisor_1")

    def url(self, world):
        return "/voice/surveys/"


class TestSurveyCreatePage(AccessMatrix):
    allowed = ("hq_service", "branch1_service", "head_c1")
    forbidden = ("cm_c1_1", "lead_c1", "subbranch1_service", "teller_c1")

    def url(self, world):
        return "/voice/surveys/new/"


class TestCenterSurveyDetailPage(AccessMatrix):
    """A center's own survey: its staff and the levels above see it; another center does not."""

    allowed = ("head_c1", "cm_c1_1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("teller_c1", "admin")
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        survey = make_survey(world, actor="head_c1")
        return f"/voice/surveys/{survey.pk}/"


class TestSurveyRespondPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "cm_c2_1")
    forbidden = ("supervisor_c1", "hq_service", "teller_c1")

    def url(self, world):
        return f"/voice/surveys/{world.survey.pk}/respond/"


class TestSurveyReportDetailPage(AccessMatrix):
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2", "branch1_service")

    def url(self, world):
        return f"/voice/survey-reports/{world.sreport.pk}/"


class TestSurveyReportExport(AccessMatrix):
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1",)
    hidden = ("head_c2",)

    def url(self, world):
        return f"/voice/survey-reports/{world.sreport.pk}/export/"


class TestOpinionInboxPage(AccessMatrix):
    allowed = ("head_c1", "supervisor_c1", "cm_c1_1", "branch1_service", "head_c2")
    forbidden = ("teller_c1", "lobby_c1", "admin")

    def url(self, world):
        return "/voice/opinions/"


class TestOpinionDetailPage(AccessMatrix):
    allowed = ("head_c1", "supervisor_c1", "branch1_service", "hq_service")
    forbidden = ("teller_c1", "admin")
    hidden = ("head_c2", "cm_c1_1", "cm_c2_1")  # a client manager sees only entries assigned to them

    def url(self, world):
        return f"/voice/opinions/{world.opinion.pk}/"


class TestOpinionQrPage(AccessMatrix):
    allowed = ("head_c1", "lobby_c1")
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return "/voice/o/C1/qr/"


class TestPublicOpinionPageNeedsNoLogin:
    @pytest.mark.django_db
    def test_anyone_opens_the_opinion_book_without_login(self, client, world):
        assert client.get("/voice/o/C1/").status_code == 200
        assert client.get("/voice/o/O1/").status_code == 200

    @pytest.mark.django_db
    def test_units_without_an_opinion_book_are_not_found(self, client, world):
        assert client.get("/voice/o/B1/").status_code == 404
        assert client.get("/voice/o/NOPE/").status_code == 404


# --- API -----------------------------------------------------------------------------------------------------

class TestNeedsCardApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "supervisor_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/api/v1/needs-cards/"


class TestNeedsCardApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "supervisor_c1", "branch1_service")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/needs-cards/{world.card.pk}/"


class TestNeedsCardApiCreate(AccessMatrix):
    api = True
    method = "post"
    ok_status = (201,)
    allowed = ("cm_c1_1",)
    forbidden = ("teller_c1", "supervisor_c1")

    def url(self, world):
        return "/api/v1/needs-cards/"

    def payload(self, world):
        return {"customer": world.cust_a.pk, "needs": [{"category": "insurance"}]}


class TestNeedsQuestionApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "supervisor_c1")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/needs-questions/{world.question.pk}/"


class TestNeedsQuestionApiAnswer(AccessMatrix):
    api = True
    method = "post"
    allowed = ("supervisor_c1",)
    forbidden = ("cm_c1_1", "head_c1", "teller_c1")
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/needs-questions/{world.question.pk}/answer/"

    def payload(self, world):
        return {"answer": "按日计息"}


class TestSurveyApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service", "cm_c2_1")
    forbidden = ("teller_c1", "admin", "advisor_1")

    def url(self, world):
        return "/api/v1/surveys/"


class TestSurveyApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "hq_service")
    forbidden = ("teller_c1", "admin")
    hidden = ("head_c2",)

    def url(self, world):
        survey = make_survey(world, actor="head_c1")
        return f"/api/v1/surveys/{survey.pk}/"


class TestSurveyResponseApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/survey-responses/{world.response.pk}/"


class TestOpinionApiList(AccessMatrix):
    api = True
    allowed = ("head_c1", "cm_c1_1", "branch1_service")
    forbidden = ("teller_c1", "lobby_c1", "admin")

    def url(self, world):
        return "/api/v1/opinions/"


class TestOpinionApiDetail(AccessMatrix):
    api = True
    allowed = ("head_c1", "supervisor_c1", "hq_service")
    forbidden = ("teller_c1", "admin")
    hidden = ("head_c2", "cm_c1_1")

    def url(self, world):
        return f"/api/v1/opinions/{world.opinion.pk}/"


class TestNeedsSummaryApiDetail(AccessMatrix):
    api = True
    allowed = ("head_c1", "supervisor_c1")
    forbidden = ("cm_c1_1", "teller_c1", "admin")
    hidden = ("head_c2", "branch1_service")  # a draft stays in the center

    def url(self, world):
        return f"/api/v1/needs-summaries/{world.summary.pk}/"


class TestSubmittedSummaryApiDetail(AccessMatrix):
    api = True
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        if world.summary.status == "draft":
            services.report_update(actor=world.head_c1, report=world.summary, commentary="分析")
            services.report_submit(actor=world.head_c1, report=world.summary)
        return f"/api/v1/needs-summaries/{world.summary.pk}/"


class TestSurveyReportApiList(AccessMatrix):
    api = True
    allowed = ("head_c1", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "admin")

    def url(self, world):
        return "/api/v1/survey-reports/"
