"""Needs cards and the answer rule (R20, R22): the 2-week deadline over holidays, the routing inboxes per level,
answers recorded by the answerer and the day the customer was told by the client manager."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.params import set_param
from wealthdesk.voice import panels, selectors, services
from wealthdesk.voice.choices import QuestionStatus
from wealthdesk.voice.models import NeedsCard, NeedsQuestion

from .helpers import days_ago, make_card, routed

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


class TestTwoWeekDeadline:
    """R22: the customer gets the answer within 2 weeks — ten working days (core.deadlines), holidays and 调休
    counted by the working-day calendar."""

    @pytest.fixture(autouse=True)
    def calendar(self, db):
        seed_calendar([2026])

    def test_due_date_is_ten_working_days_after_asking(self):
        assert services.question_due_on(D("2026-11-13")) == D("2026-11-27")  # Friday → Friday

    def test_asked_on_a_saturday_counts_from_the_next_working_day(self):
        assert services.question_due_on(D("2026-11-14")) == D("2026-11-27")

    def test_the_national_day_holiday_does_not_count(self):
        # 09-20 (Sunday) is not in the window; 中秋 09-25..27 and 国庆 10-01..07 are skipped
        assert services.question_due_on(D("2026-09-17")) == D("2026-10-08")

    def test_an_adjusted_working_sunday_counts(self):
        assert services.question_due_on(D("2026-09-13")) == D("2026-09-24")  # 09-20 (Sunday) works

    def test_head_office_can_change_the_period(self):
        set_param("question.due_days", 7)
        assert services.question_due_on(D("2026-11-13")) == D("2026-11-24")

    def test_routed_question_stores_its_due_date(self, world):
        q = routed(world, asked_on=days_ago(3))
        assert q.due_on == services.question_due_on(days_ago(3)) and q.status == QuestionStatus.OPEN


class TestRoutingInboxes:
    """Each level sees the questions routed to it — and only those — as an inbox."""

    @pytest.mark.parametrize("route,who,not_who", [
        ("team_lead", "lead_c1", ["supervisor_c1", "head_c1", "branch1_service"]),
        ("supervisor", "supervisor_c1", ["lead_c1", "head_c1", "hq_service"]),
        ("center_head", "head_c1", ["supervisor_c1", "head_c2", "branch1_service"]),
        ("branch", "branch1_service", ["head_c1", "subbranch1_service", "hq_service"]),
        ("head_office", "hq_service", ["branch1_service", "head_c1"]),
    ])
    def test_question_lands_in_the_inbox_of_its_level_only(self, world, route, who, not_who):
        q = routed(world, route)
        assert list(selectors.inbox_questions(world.users[who])) == [q]
        for name in not_who:
            assert not selectors.inbox_questions(world.users[name]).exists(), name

    def test_team_lead_route_names_the_client_managers_lead(self, world):
        assert routed(world, "team_lead").assignee == world.lead_c1

    def test_branch_route_targets_the_centers_branch(self, world):
        assert routed(world, "branch").target_unit == world.branch1
        assert routed(world, "head_office").target_unit == world.hq

    def test_upper_level_inbox_panel_lists_the_question(self, world, rf):
        q = routed(world, "branch")
        request = rf.get("/")
        request.user = world.branch1_service
        assert panels.inbox(request)["rows"] == [q]


class TestAnswers:
    def test_answered_on_the_spot_goes_into_the_cards_remarks(self, world):
        card = make_card(world)
        q = services.question_ask(actor=world.cm_c1_1, card=card, text="基金赎回几天到账？", route="on_spot",
                                  answer="一般T+3个工作日")
        card.refresh_from_db()
        assert q.status == QuestionStatus.TOLD and q.told_on == q.asked_on
        assert "基金赎回几天到账？" in card.remarks and "一般T+3个工作日" in card.remarks

    def test_on_the_spot_without_an_answer_is_refused_and_nothing_saved(self, world):
        card = make_card(world)
        with pytest.raises(ValidationError) as exc:
            services.question_ask(actor=world.cm_c1_1, card=card, text="问题", route="on_spot")
        assert "当场答复" in exc.value.message_dict["answer"][0]
        assert not NeedsQuestion.objects.exists()

    def test_the_answerer_answers_and_the_client_manager_records_telling_the_customer(self, world):
        q = routed(world, "supervisor")
        services.question_answer(actor=world.supervisor_c1, question=q, answer="按实际天数计息")
        assert q.status == QuestionStatus.ANSWERED and q.answered_by == world.supervisor_c1
        services.question_tell(actor=world.cm_c1_1, question=q)
        q.refresh_from_db()
        assert q.status == QuestionStatus.TOLD and q.answered_in_time
        assert AuditLog.objects.filter(object_type="voice.needsquestion", object_id=str(q.pk)).count() == 3

    def test_client_manager_cannot_answer_a_question_routed_to_the_supervisor(self, world):
        q = routed(world, "supervisor")
        with pytest.raises(PermissionDenied):
            services.question_answer(actor=world.cm_c1_1, question=q, answer="自己答")

    def test_customer_cannot_be_told_before_the_answer_exists(self, world):
        q = routed(world, "supervisor")
        with pytest.raises(ValidationError) as exc:
            services.question_tell(actor=world.cm_c1_1, question=q)
        assert "尚未答复" in exc.value.message_dict["told_on"][0]

    def test_routing_to_a_level_with_nobody_is_refused(self, world):
        world.supervisor_c1.role_assignments.all().delete()
        with pytest.raises(ValidationError) as exc:
            routed(world, "supervisor")
        assert "没有业务主管岗位人员" in exc.value.message_dict["route"][0]

    def test_client_manager_cannot_write_a_card_for_another_managers_customer(self, world):
        with pytest.raises(ValidationError):
            make_card(world, customer="cust_a2")
        assert not NeedsCard.objects.exists()

    def test_card_needs_at_least_one_category(self, world):
        with pytest.raises(ValidationError) as exc:
            make_card(world, needs=())
        assert exc.value.message_dict["needs"] == ["请至少选择一个需求类别。"]


class TestOpenAndOverdueLists:
    def test_overdue_question_shows_for_the_client_manager_and_the_head(self, world, rf):
        late = routed(world, "supervisor", asked_on=days_ago(20))
        fresh = routed(world, "center_head", asked_on=days_ago(1))
        assert list(selectors.my_pending_questions(world.cm_c1_1)) == [late, fresh]
        assert not selectors.my_pending_questions(world.cm_c1_2).exists()
        request = rf.get("/")
        request.user = world.head_c1
        head = panels.center_overdue(request)
        assert head["rows"] == [late] and head["overdue"] == 1
        request.user = world.cm_c1_1
        assert panels.my_questions(request)["overdue"] == 1
        request.user = world.head_c2
        assert panels.center_overdue(request)["total"] == 0


class TestCardPages:
    def test_client_manager_records_a_card_on_the_page(self, world, login_as):
        client = login_as("cm_c1_1")
        response = client.post("/voice/cards/new/", {"customer": world.cust_a.pk, "card_date": days_ago(0),
                                                      "categories": ["investment", "insurance"], "detail": "稳健"})
        card = NeedsCard.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/voice/cards/{card.pk}/"
        assert sorted(card.items.values_list("category", flat=True)) == ["insurance", "investment"]

    def test_card_without_category_is_refused_with_a_message(self, world, login_as):
        client = login_as("cm_c1_1")
        response = client.post("/voice/cards/new/", {"customer": world.cust_a.pk, "card_date": days_ago(0)})
        assert response.status_code == 400 and "需求类别" in response.content.decode()
        assert not NeedsCard.objects.exists()

    def test_on_the_spot_question_without_answer_gets_a_clear_message(self, world, login_as):
        card = make_card(world)
        response = login_as("cm_c1_1").post(f"/voice/cards/{card.pk}/questions/",
                                            {"text": "能提前支取吗？", "route": "on_spot"})
        assert response.status_code == 400
        assert "当场答复的问题必须填写答复内容" in response.content.decode()
        assert not NeedsQuestion.objects.exists()

    def test_opening_a_card_is_audited(self, world, login_as):
        card = make_card(world)
        login_as("head_c1").get(f"/voice/cards/{card.pk}/")
        row = AuditLog.objects.get(action=AuditAction.VIEW, object_type="voice.needscard")
        assert row.customer_id == world.cust_a.pk and row.actor_name == "head_c1"

    def test_customer_page_shows_the_customers_needs_cards(self, world, login_as):
        card = make_card(world)
        html = login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/").content.decode()
        assert f"/voice/cards/{card.pk}/" in html


class TestQuestionsAreNotBornOverdue:
    """R22: a question added today to an older needs card is asked today; its two weeks run from today."""

    def test_a_question_added_to_an_old_card_is_dated_today_and_not_overdue(self, world):
        from django.utils import timezone

        card = make_card(world, card_date=days_ago(60))
        q = services.question_ask(actor=world.cm_c1_1, card=card, text="定投怎么设置？", route="supervisor")
        today = timezone.localdate()
        assert q.asked_on == today
        assert q.due_on == services.question_due_on(today) and q.due_on >= today
        assert q.pk not in set(NeedsQuestion.objects.filter(due_on__lt=today).values_list("pk", flat=True))

    def test_questions_written_with_the_card_keep_the_cards_date(self, world):
        card = make_card(world, card_date=days_ago(2), questions=[{"text": "收益如何计算？", "route": "supervisor"}])
        assert card.questions.get().asked_on == days_ago(2)

    def test_a_question_cannot_be_asked_before_the_card_was_written(self, world):
        card = make_card(world, card_date=days_ago(5))
        with pytest.raises(ValidationError) as exc:
            services.question_ask(actor=world.cm_c1_1, card=card, text="问题", route="supervisor",
                                  asked_on=days_ago(6))
        assert "asked_on" in exc.value.message_dict
        assert not card.questions.exists()


def test_on_the_spot_remarks_are_shown_in_the_readers_language(world, login_as, restore_language):
    from django.utils import timezone

    card = services.card_create(actor=world.cm_c1_1, customer=world.cust_a, card_date=timezone.localdate(),
                                      needs=[{"category": "investment"}])
    services.question_ask(actor=world.cm_c1_1, card=card, text="基金赎回几天到账？", route="on_spot",
                                answer="一般T+3个工作日到账")
    client = login_as("cm_c1_1")
    client.cookies["django_language"] = "en"
    html = client.get(f"/voice/cards/{card.pk}/").content.decode()
    box = html.split('data-testid="remarks"')[1].split("</div>")[0]
    assert "customer asked" in box and "一般T+3个工作日到账" in box and "客户问" not in box
