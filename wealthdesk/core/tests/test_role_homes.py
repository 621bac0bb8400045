"""No dead ends (issue 10): each role's home says what they can do and links to it; the quality manager's
"上报给我" opens the complaints escalated to them; a team lead's view says it is the team's."""
import pytest

pytestmark = pytest.mark.django_db

EMPTY = "请通过上方菜单开始工作"


def test_system_administrator_gets_the_admin_links(login_as, world):
    body = login_as("admin").get("/").content.decode()
    assert EMPTY not in body
    assert 'href="/admin/staff/user/"' in body and 'href="/core/settings/"' in body


def test_archive_keeper_home_links_to_new_customer_and_upload(login_as, world):
    client = login_as("archivist_c1")
    body = client.get("/").content.decode()
    assert EMPTY not in body
    assert 'href="/customers/new/"' in body and 'href="/corebanking/imports/upload/"' in body
    assert client.get("/customers/new/").status_code == 200
    assert client.get("/corebanking/imports/upload/").status_code == 200


def test_quality_managers_escalated_count_is_a_link_to_those_complaints(login_as, world):
    from wealthdesk.complaints import services
    from wealthdesk.complaints.choices import Category, Channel

    mine = services.complaint_create(actor=world.lobby_c1, center=world.c1, channel=Channel.COUNTER,
                                     category=Category.WAITING, content="排队等候超过一小时")
    services.complaint_escalate(actor=world.head_c1, complaint=mine, reason="涉及销售适当性")
    other = services.complaint_create(actor=world.lobby_c1, center=world.c1, channel=Channel.COUNTER,
                                      category=Category.WAITING, content="另一件未上报的投诉")
    client = login_as("quality_b1")
    body = client.get("/").content.decode()
    assert 'href="/complaints/?status=open&amp;escalated=1"' in body
    listed = client.get("/complaints/?status=open&escalated=1").content.decode()
    assert mine.number in listed and other.number not in listed
    assert other.number in client.get("/complaints/?status=open").content.decode()


def test_team_lead_sees_the_teams_view_under_its_own_title(login_as, world):
    lead = login_as("lead_c1").get("/worklogs/team/").content.decode()
    assert "负责人视图" not in lead and "团队视图 · 朝阳一组" in lead
    head = login_as("head_c1").get("/worklogs/team/").content.decode()
    assert "负责人视图" in head
