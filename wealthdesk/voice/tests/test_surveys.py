"""Surveys (R21): the builder, answers checked against their question type, the monthly 《调研信息汇总报告》
with a chart per question, submission upward and Excel."""
import io
import json

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.core.testing.exports import download
from wealthdesk.voice import services
from wealthdesk.voice.choices import SurveyQuestionKind
from wealthdesk.voice.models import Survey, SurveyReport, SurveyResponse

from .helpers import answers_for, make_survey

pytestmark = pytest.mark.django_db


class TestBuilder:
    def test_head_office_branch_and_center_head_build_surveys(self, world):
        for name in ("hq_service", "branch1_service", "head_c1"):
            assert make_survey(world, actor=name).owner_unit == world.users[name].unit

    def test_client_manager_cannot_build_a_survey(self, world):
        with pytest.raises(PermissionDenied):
            services.survey_create(actor=world.cm_c1_1, title="调研")

    def test_choice_question_needs_two_options(self, world):
        survey = services.survey_create(actor=world.head_c1, title="产品调研")
        with pytest.raises(ValidationError) as exc:
            services.survey_add_question(actor=world.head_c1, survey=survey, kind="single", text="选哪个",
                                         options=["只有一个"])
        assert "至少需要两个选项" in exc.value.message_dict["options"][0]

    def test_survey_without_questions_cannot_be_published(self, world):
        survey = services.survey_create(actor=world.head_c1, title="产品调研")
        with pytest.raises(ValidationError):
            services.survey_publish(actor=world.head_c1, survey=survey)

    def test_published_survey_takes_no_more_questions(self, world):
        survey = make_survey(world)
        with pytest.raises(ValidationError):
            services.survey_add_question(actor=world.hq_service, survey=survey, kind="text", text="再加一题")

    def test_builder_page_adds_questions_one_by_one(self, world, login_as):
        client = login_as("head_c1")
        response = client.post("/voice/surveys/new/", {"title": "基金定投意向", "description": ""})
        survey = Survey.objects.get()
        assert response["Location"] == f"/voice/surveys/{survey.pk}/"
        client.post(response["Location"], {"action": "add", "kind": "multiple", "text": "关注哪些基金",
                                           "options": "股票型\n债券型\n货币型", "required": "on"})
        response = client.post(f"/voice/surveys/{survey.pk}/", {"action": "add", "kind": "single", "text": "选一个",
                                                                "options": "唯一"})
        assert response.status_code == 400 and "至少需要两个选项" in response.content.decode()
        client.post(f"/voice/surveys/{survey.pk}/", {"action": "publish"})
        survey.refresh_from_db()
        assert survey.status == "open" and survey.questions.get().options == ["股票型", "债券型", "货币型"]

    def test_another_center_does_not_see_a_centers_survey(self, world):
        survey = make_survey(world, actor="head_c1")
        assert not Survey.objects.visible_to(world.head_c2).filter(pk=survey.pk).exists()
        assert Survey.objects.visible_to(world.branch1_service).filter(pk=survey.pk).exists()
        hq_survey = make_survey(world)
        assert Survey.objects.visible_to(world.cm_c2_1).filter(pk=hq_survey.pk).exists()


class TestAnswersFitTheirType:
    @pytest.fixture
    def survey(self, world):
        return make_survey(world)

    @pytest.mark.parametrize("change,reason", [
        ({"single": "都要"}, "单选题只能选择一个给定的选项"),
        ({"multiple": ("基金", "股票")}, "多选题只能选择给定的选项"),
        ({"scale": 6}, "评分题请选择1到5之间的整数"),
        ({"scale": "很好"}, "评分题请选择1到5之间的整数"),
        ({"text": "长" * 1001}, "文字答案不能超过1000字"),
        ({"single": ""}, "必答题"),
    ])
    def test_an_answer_that_does_not_fit_is_refused_and_nothing_saved(self, world, survey, change, reason):
        with pytest.raises(ValidationError) as exc:
            services.response_record(actor=world.cm_c1_1, survey=survey, customer=world.cust_a,
                                     answers=answers_for(survey, **change))
        messages = [m for ms in exc.value.message_dict.values() for m in ms]
        assert any(reason in m and "第" in m for m in messages), messages
        assert not SurveyResponse.objects.exists()

    def test_unknown_question_is_refused(self, world, survey):
        with pytest.raises(ValidationError) as exc:
            services.response_record(actor=world.cm_c1_1, survey=survey, customer=world.cust_a,
                                     answers={**answers_for(survey), "999999": "x"})
        assert "未知题目编号" in exc.value.message_dict["answers"][0]

    def test_a_customer_answers_a_survey_once(self, world, survey):
        services.response_record(actor=world.cm_c1_1, survey=survey, customer=world.cust_a,
                                 answers=answers_for(survey))
        with pytest.raises(ValidationError) as exc:
            services.response_record(actor=world.cm_c1_1, survey=survey, customer=world.cust_a,
                                     answers=answers_for(survey))
        assert "已填写过" in exc.value.message_dict["customer"][0]

    def test_client_manager_records_only_own_customers(self, world, survey):
        with pytest.raises(ValidationError):
            services.response_record(actor=world.cm_c1_1, survey=survey, customer=world.cust_a2,
                                     answers=answers_for(survey))

    def test_page_refuses_a_score_out_of_range_with_the_question_named(self, world, survey, login_as):
        qs = list(survey.questions.order_by("position"))
        response = login_as("cm_c1_1").post(f"/voice/surveys/{survey.pk}/respond/", {
            "customer": world.cust_a.pk, "responded_on": "2026-01-05", f"q_{qs[0].pk}": "安全",
            f"q_{qs[1].pk}": ["基金"], f"q_{qs[2].pk}": "9"})
        html = response.content.decode()
        assert response.status_code == 400 and "第3题「对服务的满意度」" in html
        assert not SurveyResponse.objects.exists()

    def test_page_records_a_valid_response(self, world, survey, login_as):
        qs = list(survey.questions.order_by("position"))
        response = login_as("cm_c1_1").post(f"/voice/surveys/{survey.pk}/respond/", {
            "customer": world.cust_a.pk, "responded_on": "2026-01-05", f"q_{qs[0].pk}": "安全",
            f"q_{qs[1].pk}": ["基金", "理财"], f"q_{qs[2].pk}": "5"})
        assert response.status_code == 302
        assert SurveyResponse.objects.get().answers == {str(qs[0].pk): "安全", str(qs[1].pk): ["基金", "理财"],
                                                         str(qs[2].pk): 5}


class TestMonthlyReport:
    @pytest.fixture
    def report(self, world):
        survey = make_survey(world)
        services.response_record(actor=world.cm_c1_1, survey=survey, customer=world.cust_a,
                                 answers=answers_for(survey, single="安全", multiple=("基金", "保险"), scale=4))
        services.response_record(actor=world.cm_c1_2, survey=survey, customer=world.cust_a2,
                                 answers=answers_for(survey, single="收益", multiple=("基金",), scale=5, text=""))
        services.response_record(actor=world.cm_c2_1, survey=survey, customer=world.cust_b,
                                 answers=answers_for(survey, single="收益"))
        return services.report_build(actor=world.head_c1, model=SurveyReport, center=world.c1,
                                     month=survey.starts_on)

    def test_report_counts_each_question_of_the_centers_responses(self, report):
        (survey,) = report.figures["surveys"]
        single, multiple, scale, text = survey["questions"]
        assert report.figures["responses"] == 2 and survey["responses"] == 2
        assert single["counts"] == {"收益": 1, "安全": 1, "流动性": 0}
        assert multiple["counts"] == {"基金": 2, "保险": 1, "理财": 0}
        assert scale["counts"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1} and scale["average"] == 4.5
        assert text["answered"] == 1 and text["texts"] == ["希望多办讲座"]
        assert text["kind"] == SurveyQuestionKind.TEXT

    def test_report_page_has_an_echarts_chart_per_choice_question(self, world, report, login_as):
        html = login_as("head_c1").get(f"/voice/survey-reports/{report.pk}/").content.decode()
        assert html.count('data-testid="chart"') == 3 and "echarts.min.js" in html
        start = html.index('id="chart-')
        option = json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
        assert option["series"][0]["data"] == [1, 1, 0]

    def test_head_submits_the_analysis_upward(self, world, report, login_as):
        client = login_as("head_c1")
        response = client.post(f"/voice/survey-reports/{report.pk}/", {"action": "submit", "analysis": ""})
        assert response.status_code == 400 and "请先填写分析意见再上报" in response.content.decode()
        client.post(f"/voice/survey-reports/{report.pk}/", {"action": "submit", "analysis": "客户偏好稳健"})
        assert "客户偏好稳健" in login_as("branch1_service").get(f"/voice/survey-reports/{report.pk}/") \
            .content.decode()

    def test_report_exports_to_excel(self, world, report, login_as):
        response = login_as("head_c1").get(f"/voice/survey-reports/{report.pk}/export/")
        ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
        assert ws["A1"].value == "《调研信息汇总报告》" and "朝阳理财中心" in ws["A2"].value
        assert [c.value for c in ws[4]] == ["调研主题", "题目", "题型", "选项/分值", "人数", "占比"]
        rows = [r for r in ws.iter_rows(min_row=5, values_only=True)]
        assert ("投资偏好调研", "2. 您持有哪些产品？", "多选", "基金", 2, "100.0%") in rows
