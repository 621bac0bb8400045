"""The monthly 《客户需求汇总表》 (R20, R24) against a hand-counted month, its submission upward and Excel."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.core.testing.exports import download
from wealthdesk.voice import services
from wealthdesk.voice.choices import ReportStatus
from wealthdesk.voice.models import NeedsSummary

pytestmark = pytest.mark.django_db


def month_before_last() -> dt.date:
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=40)).replace(day=1)


@pytest.fixture
def month(world):
    """The hand-counted month (two months back, so every deadline has passed):

    card 1 (张伟, day 1): investment + insurance; on the spot (in time); to the supervisor, told day 5 (in time);
                          to the head, never answered (open, overdue)
    card 2 (李娜, day 3): investment + loan; to the team lead, told day 27 (late)
    outside: a card of center C2 the same month, and a card of C1 the month before.
    """
    m = month_before_last()
    day = lambda n: m + dt.timedelta(days=n - 1)  # noqa: E731
    cm1, cm2 = world.cm_c1_1, world.cm_c1_2
    card1 = services.card_create(actor=cm1, customer=world.cust_a, card_date=day(1),
                                 needs=[{"category": "investment"}, {"category": "insurance"}])
    services.question_ask(actor=cm1, card=card1, text="定投如何设置", route="on_spot", answer="手机银行",
                          asked_on=day(1))
    q2 = services.question_ask(actor=cm1, card=card1, text="收益如何计算", route="supervisor", asked_on=day(1))
    services.question_answer(actor=world.supervisor_c1, question=q2, answer="按日计息", answered_on=day(4))
    services.question_tell(actor=cm1, question=q2, told_on=day(5))
    services.question_ask(actor=cm1, card=card1, text="能否调高额度", route="center_head", asked_on=day(1))
    card2 = services.card_create(actor=cm2, customer=world.cust_a2, card_date=day(3),
                                 needs=[{"category": "investment"}, {"category": "loan"}])
    q4 = services.question_ask(actor=cm2, card=card2, text="房贷利率", route="team_lead", asked_on=day(3))
    services.question_answer(actor=world.lead_c1, question=q4, answer="LPR加点", answered_on=day(20))
    services.question_tell(actor=cm2, question=q4, told_on=day(27))
    services.card_create(actor=world.cm_c2_1, customer=world.cust_b, card_date=day(2),
                         needs=[{"category": "deposit"}])
    services.card_create(actor=cm1, customer=world.cust_a, card_date=m - dt.timedelta(days=1),
                         needs=[{"category": "other"}])
    return m


def test_summary_figures_match_the_hand_count(world, month):
    s = services.report_build(actor=world.head_c1, model=NeedsSummary, center=world.c1, month=month)
    f = s.figures
    assert (f["cards"], f["customers"]) == (2, 2)
    assert f["by_category"] == {"investment": 2, "deposit": 0, "loan": 1, "insurance": 1, "payments": 0,
                                "channel": 0, "other": 0}
    q = f["questions"]
    assert (q["asked"], q["on_spot"], q["routed"], q["in_time"], q["late"], q["open"], q["overdue"]) == \
        (4, 1, 3, 2, 1, 1, 1)
    assert q["in_time_rate"] == 0.5
    assert f["by_route"]["supervisor"] == 1 and f["by_route"]["team_lead"] == 1 and f["by_route"]["center_head"] == 1


def test_head_submits_upward_and_the_branch_reads_it(world, month, login_as):
    s = services.report_build(actor=world.head_c1, model=NeedsSummary, center=world.c1, month=month)
    assert login_as("branch1_service").get(f"/voice/summaries/{s.pk}/").status_code == 404  # draft
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=world.head_c1, report=s)
    assert exc.value.message_dict == {"commentary": ["请先填写需求分析再上报。"]}
    services.report_update(actor=world.head_c1, report=s, commentary="投资类需求集中", marketing_advice="办讲座",
                           product_advice="增配稳健理财")
    services.report_submit(actor=world.head_c1, report=s)
    assert s.status == ReportStatus.SUBMITTED
    for reader in ("subbranch1_service", "branch1_service", "hq_service"):
        html = login_as(reader).get(f"/voice/summaries/{s.pk}/").content.decode()
        assert "投资类需求集中" in html and "增配稳健理财" in html, reader
    assert login_as("head_c2").get(f"/voice/summaries/{s.pk}/").status_code == 404
    with pytest.raises(ValidationError):
        services.report_build(actor=world.head_c1, model=NeedsSummary, center=world.c1, month=month)
    with pytest.raises(ValidationError):
        services.report_update(actor=world.head_c1, report=s, commentary="改")


def test_only_the_centers_head_builds_the_summary(world, month):
    for name in ("cm_c1_1", "head_c2", "branch1_service"):
        with pytest.raises(PermissionDenied):
            services.report_build(actor=world.users[name], model=NeedsSummary, center=world.c1, month=month)


def test_a_future_month_cannot_be_summarised(world, login_as):
    future = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    response = login_as("head_c1").post("/voice/summaries/build/", {"month": future}, follow=True)
    assert "不能汇总尚未开始的月份" in response.content.decode()
    assert not NeedsSummary.objects.exists()


def test_head_builds_comments_and_submits_on_the_page(world, month, login_as):
    client = login_as("head_c1")
    response = client.post("/voice/summaries/build/", {"month": f"{month:%Y-%m}"})
    s = NeedsSummary.objects.get()
    assert response["Location"] == f"/voice/summaries/{s.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert 'data-fig="asked">4<' in html and 'data-fig="in_time">2<' in html
    response = client.post(f"/voice/summaries/{s.pk}/", {"action": "submit", "commentary": ""})
    assert response.status_code == 400 and "请先填写需求分析再上报" in response.content.decode()
    client.post(f"/voice/summaries/{s.pk}/", {"action": "submit", "commentary": "理财需求旺盛"})
    s.refresh_from_db()
    assert s.status == ReportStatus.SUBMITTED and s.submitted_by == world.head_c1


def test_summary_exports_to_excel_in_the_handbook_layout(world, month, login_as):
    s = services.report_build(actor=world.head_c1, model=NeedsSummary, center=world.c1, month=month)
    response = login_as("head_c1").get(f"/voice/summaries/{s.pk}/export/")
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《客户需求汇总表》"
    assert [c.value for c in ws[4]][:3] == ["项目", "明细", "数值"]
    rows = {(r[0], r[1]): r[2] for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows[("需求类别", "投资理财")] == 2 and rows[("客户问题", "按时答复")] == 2
    assert rows[("客户问题", "按时答复率")] == "50.0%"
