"""The opinion book (R23): a public page without login, rate-limited and size-limited, escaped output, no more
personal data than the customer gives; entries land in the center's inbox to be assigned or turned into a needs
card or a complaint."""
import sys
import types

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.core.models import AuditLog
from wealthdesk.core.params import set_param
from wealthdesk.voice import services
from wealthdesk.voice.choices import OpinionStatus
from wealthdesk.voice.models import NeedsCard, Opinion

pytestmark = pytest.mark.django_db


def post(client, code="C1", ip="203.0.113.7", **data):
    payload = {"kind": "opinion", "content": "希望周末也能办理理财业务", "rating": "", "name": "", "contact": "",
               "website": "", **data}
    return client.post(f"/voice/o/{code}/", payload, REMOTE_ADDR=ip)


class TestPublicPage:
    def test_customer_leaves_an_opinion_without_login_and_it_lands_in_the_centers_inbox(self, client, world):
        response = post(client, name="王先生", contact="13900001111", rating="4")
        assert response.status_code == 200 and 'data-testid="thanks"' in response.content.decode()
        op = Opinion.objects.get()
        assert (op.center, op.status, op.name, op.contact, op.rating) == (world.c1, "new", "王先生", "13900001111", 4)

    def test_an_outlets_book_goes_to_the_center_of_its_sub_branch(self, client, world):
        post(client, code="O1")
        assert Opinion.objects.get().center == world.c1 and Opinion.objects.get().unit == world.outlet1

    def test_name_and_contact_are_optional_and_no_address_is_kept(self, client, world):
        post(client)
        op = Opinion.objects.get()
        assert op.name == "" and op.contact == ""
        assert not any(f.name in ("ip", "ip_address", "user_agent") for f in Opinion._meta.fields)
        row = AuditLog.objects.get(object_type="voice.opinion")
        assert row.ip is None and row.source == "public"

    def test_a_flood_from_one_address_is_stopped(self, client, world):
        for _ in range(5):
            assert post(client).status_code == 200
        response = post(client)
        assert response.status_code == 429 and "提交过于频繁，请10分钟后再试" in response.content.decode()
        assert Opinion.objects.count() == 5
        assert post(client, ip="198.51.100.9").status_code == 200  # another address is not affected

    def test_the_limit_is_a_parameter(self, client, world):
        set_param("opinion.rate_limit", 1)
        assert post(client).status_code == 200
        assert post(client).status_code == 429

    def test_an_opinion_over_the_size_limit_is_refused_and_nothing_saved(self, client, world):
        response = post(client, content="长" * 1001)
        assert response.status_code == 400 and "内容不能超过1000字（现在1001字）" in response.content.decode()
        response = post(client, name="名" * 41)
        assert response.status_code == 400 and "称呼不能超过40字" in response.content.decode()
        assert not Opinion.objects.exists()

    def test_the_honeypot_catches_robots(self, client, world):
        response = post(client, website="http://spam.example")
        assert response.status_code == 200 and not Opinion.objects.exists()

    def test_script_in_an_opinion_is_shown_as_text(self, client, world, login_as):
        post(client, content='<script>alert("x")</script><b>粗体</b>')
        op = Opinion.objects.get()
        for url in (f"/voice/opinions/{op.pk}/", "/voice/opinions/"):
            html = login_as("head_c1").get(url).content.decode()
            assert "<script>alert" not in html and "&lt;script&gt;alert" in html, url
            assert "<b>粗体</b>" not in html

    def test_the_qr_code_page_points_to_the_public_book(self, world, login_as):
        html = login_as("lobby_c1").get("/voice/o/C1/qr/").content.decode()
        assert "<svg" in html and "http://testserver/voice/o/C1/" in html


class TestInbox:
    @pytest.fixture
    def opinion(self, world):
        return services.opinion_post(unit=world.c1, content="理财经理讲解很耐心", name="李女士",
                                     contact="13911112222", ip="10.1.1.1")

    def test_inbox_masks_the_contact_in_the_list(self, world, opinion, login_as):
        html = login_as("head_c1").get("/voice/opinions/").content.decode()
        assert "139****2222" in html and "13911112222" not in html and "李*" in html

    def test_the_assignee_sees_the_contact_masked_and_reveals_it_audited(self, world, opinion, login_as):
        from wealthdesk.core.models import AuditAction, AuditLog

        services.opinion_assign(actor=world.head_c1, opinion=opinion, assignee=world.cm_c1_1)
        client = login_as("cm_c1_1")
        html = client.get(f"/voice/opinions/{opinion.pk}/").content.decode()
        assert "13911112222" not in html and "139****2222" in html and 'data-reveal="contact"' in html
        response = client.post(f"/voice/opinions/{opinion.pk}/reveal/", {"field": "contact", "reason": "回访客户"})
        assert response.status_code == 200 and "13911112222" in response.content.decode()
        assert AuditLog.objects.filter(action=AuditAction.REVEAL, object_id=str(opinion.pk), actor=world.cm_c1_1,
                                       detail__field="contact").exists()
        other = login_as("cm_c1_2").post(f"/voice/opinions/{opinion.pk}/reveal/", {"field": "contact", "reason": "x1"})
        assert other.status_code in (403, 404) and "13911112222" not in other.content.decode()

    def test_head_assigns_and_the_assignee_closes_it(self, world, opinion):
        services.opinion_assign(actor=world.head_c1, opinion=opinion, assignee=world.cm_c1_1)
        assert Opinion.objects.visible_to(world.cm_c1_1).get() == opinion
        with pytest.raises(ValidationError) as exc:
            services.opinion_close(actor=world.cm_c1_1, opinion=opinion, note="")
        assert exc.value.message_dict == {"note": ["请填写处理说明。"]}
        services.opinion_close(actor=world.cm_c1_1, opinion=opinion, note="已电话感谢客户")
        assert opinion.status == OpinionStatus.CLOSED

    def test_only_the_head_assigns(self, world, opinion):
        with pytest.raises(PermissionDenied):
            services.opinion_assign(actor=world.supervisor_c1, opinion=opinion, assignee=world.cm_c1_1)
        with pytest.raises(ValidationError):
            services.opinion_assign(actor=world.head_c1, opinion=opinion, assignee=world.cm_c2_1)

    def test_head_turns_an_opinion_into_a_needs_card(self, world, opinion, login_as):
        response = login_as("head_c1").post(f"/voice/opinions/{opinion.pk}/", {
            "action": "card", "customer": world.cust_a.pk, "category": "investment"})
        card = NeedsCard.objects.get()
        assert response["Location"] == f"/voice/cards/{card.pk}/"
        assert card.source_opinion == opinion and card.client_manager == world.cm_c1_1
        opinion.refresh_from_db()
        assert opinion.status == OpinionStatus.CARDED and opinion.needs_card == card

    def test_head_turns_an_opinion_into_a_complaint_through_the_complaints_service(self, world, opinion,
                                                                                  monkeypatch):
        calls = []
        fake = types.ModuleType("wealthdesk.complaints.services")
        fake.complaint_create = lambda **kw: calls.append(kw) or types.SimpleNamespace(pk=77)
        monkeypatch.setitem(sys.modules, "wealthdesk.complaints.services", fake)
        services.opinion_to_complaint(actor=world.head_c1, opinion=opinion)
        (kw,) = calls
        assert kw["channel"] == "online" and kw["category"] == "other" and kw["center"] == world.c1
        assert kw["content"] == "理财经理讲解很耐心" and kw["complainant_contact"] == "13911112222"
        assert kw["source"] == f"opinion:{opinion.pk}"
        assert opinion.status == OpinionStatus.COMPLAINT and opinion.complaint_ref == 77

    def test_complaint_is_recorded_in_the_complaints_app(self, world, opinion, login_as):
        pytest.importorskip("wealthdesk.complaints.services")
        from wealthdesk.complaints.models import Complaint

        response = login_as("head_c1").post(f"/voice/opinions/{opinion.pk}/", {"action": "complaint",
                                                                             "category": "waiting"})
        assert response.status_code == 302
        complaint = Complaint.objects.get()
        opinion.refresh_from_db()
        assert opinion.complaint_ref == complaint.pk and (complaint.channel, complaint.category) == ("online",
                                                                                                    "waiting")

    def test_a_handled_opinion_cannot_be_handled_again(self, world, opinion):
        services.opinion_close(actor=world.head_c1, opinion=opinion, note="已处理")
        with pytest.raises(ValidationError):
            services.opinion_to_card(actor=world.head_c1, opinion=opinion, customer=world.cust_a)

    def test_head_panel_counts_new_opinions(self, world, opinion, rf):
        from wealthdesk.voice import panels

        request = rf.get("/")
        request.user = world.head_c1
        assert panels.new_opinions(request)["total"] == 1
        request.user = world.head_c2
        assert panels.new_opinions(request)["total"] == 0
