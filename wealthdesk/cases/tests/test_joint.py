"""Private-banking joint service (R5): the head-office relationship manager sees the customer beside the center's
client manager (through core scoping, both ways), nobody else gains access, both appear on the customer's record and
share the plan; core premium customers show the branch that serves them with the center."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.cases import joint
from wealthdesk.cases.choices import PlanItemKind
from wealthdesk.cases.models import JointTeam
from wealthdesk.customers.models import Customer

from .factories import hq_manager, joint_team

pytestmark = pytest.mark.django_db


def _sees(user, customer) -> bool:
    return Customer.objects.visible_to(user).filter(pk=customer.pk).exists()


def test_the_joint_manager_sees_the_customer_only_while_on_the_team_and_the_center_keeps_seeing_it(world):
    rm = hq_manager(world)
    assert not _sees(rm, world.cust_b)
    team = joint_team(world)
    assert _sees(rm, world.cust_b) and _sees(world.cm_c2_1, world.cust_b) and _sees(world.head_c2, world.cust_b)
    assert list(Customer.objects.visible_to(rm)) == [world.cust_b]  # nothing else
    JointTeam.objects.filter(pk=team.pk).update(active=False)
    assert not _sees(rm, world.cust_b)


def test_nobody_else_gains_access(world):
    joint_team(world)
    other_rm = hq_manager(world, "pb_hq_2")
    for user in (other_rm, world.cm_c1_1, world.cm_c1_2, world.lead_c1, world.head_c1, world.teller_c1,
                 world.advisor_1, world.expert_1, world.subbranch1_service, world.branch1_service):
        assert not _sees(user, world.cust_b), user.username


def test_only_private_customers_and_head_office_managers_make_a_team(world):
    rm = hq_manager(world)
    with pytest.raises(ValidationError) as exc:
        joint.joint_team_create(actor=world.hq_service, customer=world.cust_a, hq_manager=rm)
    assert "customer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        joint.joint_team_create(actor=world.hq_service, customer=world.cust_b, hq_manager=world.cm_c1_1)
    assert "hq_manager" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        joint.joint_team_create(actor=world.branch1_service, customer=world.cust_b, hq_manager=rm)
    assert not JointTeam.objects.exists()


def test_both_managers_share_the_plan(world):
    team = joint_team(world)
    item = joint.plan_item_add(actor=world.cm_c2_1, team=team, kind=PlanItemKind.REVIEW, title="季度检视",
                               planned_on=timezone.localdate())
    joint.plan_item_record(actor=hq_manager(world), item=item, held_on=timezone.localdate(), outcome="调整配置")
    item.refresh_from_db()
    assert item.outcome == "调整配置"
    with pytest.raises(ValidationError) as exc:
        joint.plan_item_record(actor=world.cm_c2_1, item=item, held_on=timezone.localdate() + dt.timedelta(days=3),
                               outcome="x")
    assert "held_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        joint.plan_item_add(actor=world.cm_c2_1, team=team, kind="party", title="", planned_on=None)
    assert set(exc.value.message_dict) == {"kind", "title", "planned_on"}


def test_the_customer_page_shows_both_managers_to_both(client, world):
    joint_team(world)
    for user in (world.cm_c2_1, hq_manager(world)):
        client.force_login(user)
        response = client.get(f"/customers/{world.cust_b.pk}/")
        assert response.status_code == 200, user.username
        body = response.content.decode()
        assert 'data-testid="panel-joint"' in body and "pb_hq_1" in body and "cm_c2_1" in body
    client.force_login(world.cm_c1_1)
    assert client.get(f"/customers/{world.cust_b.pk}/").status_code == 404


def test_a_core_customer_shows_the_branch_serving_it_with_the_center(client, world):
    client.force_login(world.cm_c1_1)
    body = client.get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert "北京分行" in body and 'data-testid="panel-joint"' in body
    assert f"/cases/new/?subject_kind=customer&amp;subject_id={world.cust_a.cif_no}" in body


def test_joint_pages_for_both_managers_and_bad_input_on_the_plan(client, world):
    team = joint_team(world)
    client.force_login(hq_manager(world))
    assert client.get("/cases/joint/").status_code == 200
    assert client.get(f"/cases/joint/{team.pk}/").status_code == 200
    response = client.post(f"/cases/joint/{team.pk}/plan/", {"kind": "meeting", "title": "", "planned_on": ""})
    assert response.status_code == 400 and "请填写内容。" in response.content.decode()
    response = client.post(f"/cases/joint/{team.pk}/plan/", {"kind": "meeting", "title": "面谈",
                                                             "planned_on": "2026-12-20"})
    assert response.status_code == 302 and team.plan_items.count() == 1
    client.force_login(world.cm_c1_1)
    assert client.get(f"/cases/joint/{team.pk}/").status_code == 404


def test_head_office_sets_up_a_team_on_the_page(client, world):
    hq_manager(world)
    client.force_login(world.hq_service)
    response = client.post("/cases/joint/new/", {"customer": "NOPE", "hq_manager": world.users["pb_hq_1"].pk})
    assert response.status_code == 400 and "找不到该客户号的客户。" in response.content.decode()
    response = client.post("/cases/joint/new/", {"customer": world.cust_b.cif_no,
                                                 "hq_manager": world.users["pb_hq_1"].pk})
    assert response.status_code == 302 and JointTeam.objects.get().customer == world.cust_b


def test_joint_api_lists_without_clear_identifiers_and_adds_plan_entries(api_as, world):
    team = joint_team(world)
    hq_manager(world)
    api = api_as("pb_hq_1")
    response = api.get("/api/v1/joint-teams/")
    data = response.json()
    assert data["count"] == 1 and data["results"][0]["cif_no"] == world.cust_b.cif_no
    assert world.cust_b.mobile not in response.content.decode() and world.cust_b.id_number not in response.content.decode()
    r = api.post(f"/api/v1/joint-teams/{team.pk}/plan/", {"kind": "review", "title": "检视",
                                                          "planned_on": "2026-12-01"}, format="json")
    assert r.status_code == 201, r.content
    r = api.post(f"/api/v1/joint-teams/{team.pk}/outcome/", {"item": r.json()["id"], "held_on": "2026-11-30",
                                                             "outcome": ""}, format="json")
    assert r.status_code == 400 and "outcome" in r.json()
    assert api_as("cm_c1_1").get(f"/api/v1/joint-teams/{team.pk}/").status_code == 404


def test_both_managers_appear_on_one_contact_history(client, world):
    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.contacts.services import contact_create

    team = joint_team(world)
    rm = hq_manager(world)
    now = timezone.now() - dt.timedelta(hours=1)
    contact_create(actor=world.cm_c2_1, customer=world.cust_b, kind="phone", contacted_at=now, purpose="到期提醒")
    contact_create(actor=rm, customer=world.cust_b, kind="meeting", contacted_at=now, purpose="家族信托面谈")
    for user in (world.cm_c2_1, rm):
        assert ContactRecord.objects.visible_to(user).filter(customer=world.cust_b).count() == 2, user.username
    for user in (world.cm_c1_1, hq_manager(world, "pb_hq_2")):
        assert not ContactRecord.objects.visible_to(user).exists(), user.username
    client.force_login(world.cm_c2_1)
    body = client.get(f"/cases/joint/{team.pk}/").content.decode()
    assert "家族信托面谈" in body and "到期提醒" in body and "pb_hq_1" in body
