"""Separation of duties: position and unit changes are audited (before and after) on every path, and a system
administrator cannot give himself a position that opens customer data (sysadmin ≠ operator ≠ auditor)."""
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.roles import Role
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import StaffRole, User
from wealthdesk.staff.services import staff_role_grant, staff_role_revoke, staff_unit_change

pytestmark = pytest.mark.django_db


def _staff_rows():
    return list(AuditLog.objects.filter(action=AuditAction.STAFF_CHANGE).order_by("id"))


def test_granting_a_position_in_a_service_is_audited_with_before_and_after(world):
    staff_role_grant(actor=world.head_c1, user=world.cm_c1_1, role=Role.TEAM_LEAD)
    (row,) = _staff_rows()
    assert row.actor == world.head_c1
    assert row.object_id == str(world.cm_c1_1.pk) and row.unit_id == world.c1.pk
    assert row.detail["what"] == "role_grant" and row.detail["role"] == Role.TEAM_LEAD
    assert row.detail["before"] == {"roles": [Role.CLIENT_MANAGER]}
    assert row.detail["after"] == {"roles": sorted([Role.CLIENT_MANAGER, Role.TEAM_LEAD])}


def test_revoking_and_moving_are_audited(world):
    team_id = world.cm_c1_2.team_id
    assert team_id
    staff_role_revoke(actor=world.admin, user=world.cm_c1_2, role=Role.CLIENT_MANAGER)
    staff_unit_change(actor=world.admin, user=world.cm_c1_2, unit=world.c2)
    revoke, move = _staff_rows()
    assert revoke.detail["what"] == "role_revoke" and revoke.detail["after"] == {"roles": []}
    assert move.detail == {"what": "unit_change", "user": "cm_c1_2", "by": "admin",
                           "before": {"unit": world.c1.pk, "team": team_id},
                           "after": {"unit": world.c2.pk, "team": None}}
    assert move.actor == world.admin


def test_a_change_in_a_shell_or_command_is_audited_too(world):
    StaffRole.objects.create(user=world.lobby_c1, role=Role.NONCASH_TELLER)
    world.lobby_c1.unit = world.c2
    world.lobby_c1.save()
    grant, move = _staff_rows()
    assert grant.actor is None and grant.detail["role"] == Role.NONCASH_TELLER
    assert move.detail["after"]["unit"] == world.c2.pk


def test_a_sign_in_does_not_write_a_staff_change_row(world, client):
    from wealthdesk.core.testing.world import PASSWORD

    response = client.post("/accounts/login/", {"username": "cm_c1_1", "password": PASSWORD})
    assert response.status_code == 302
    assert _staff_rows() == []


def test_the_administrator_cannot_give_himself_a_customer_position_in_the_service(world):
    with pytest.raises(ValidationError) as exc:
        staff_role_grant(actor=world.admin, user=world.admin, role=Role.HQ_SERVICE)
    assert "系统管理员" in str(exc.value)
    assert not StaffRole.objects.filter(user=world.admin, role=Role.HQ_SERVICE).exists()
    assert _staff_rows() == []


def test_nor_to_another_account_he_holds(world):
    User.objects.filter(pk=world.admin.pk).update(employee_no="E0001")
    admin = User.objects.get(pk=world.admin.pk)
    second = User.objects.create(username="admin_alt", employee_no="E0001", unit=world.hq)
    with pytest.raises(ValidationError):
        staff_role_grant(actor=admin, user=second, role=Role.CENTER_HEAD)
    assert not StaffRole.objects.filter(user=second).exists()


def test_one_account_is_never_administrator_and_operator_or_auditor(world):
    with pytest.raises(ValidationError):
        staff_role_grant(actor=world.head_c1, user=world.admin, role=Role.CLIENT_MANAGER)
    with pytest.raises(ValidationError):
        staff_role_grant(actor=world.admin, user=world.auditor, role=Role.HQ_SERVICE)
    with pytest.raises(ValidationError):  # the backstop below every path
        StaffRole.objects.create(user=world.auditor, role=Role.BRANCH_SERVICE)


def test_the_administrator_may_still_give_others_positions(world):
    staff_role_grant(actor=world.admin, user=world.lobby_c1, role=Role.NONCASH_TELLER)
    assert StaffRole.objects.filter(user=world.lobby_c1, role=Role.NONCASH_TELLER).exists()


def _admin_change_payload(user, roles):
    data = {
        "username": user.username, "full_name": user.full_name, "employee_no": user.employee_no,
        "unit": user.unit_id or "", "team": user.team_id or "", "is_active": "on", "is_staff": "on",
        "is_superuser": "on" if user.is_superuser else "", "last_login_0": "", "last_login_1": "",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "role_assignments-TOTAL_FORMS": str(len(roles)), "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000",
        "first_name": "", "last_name": "", "email": "",
    }
    for i, role in enumerate(roles):
        data[f"role_assignments-{i}-role"] = role
        data[f"role_assignments-{i}-user"] = user.pk
    return data


def test_in_the_django_admin_the_administrator_is_refused_a_customer_position_with_a_message(world, client):
    client.force_login(world.admin)
    response = client.post(f"/admin/staff/user/{world.admin.pk}/change/",
                           _admin_change_payload(world.admin, [Role.HQ_SERVICE]))
    assert response.status_code == 200
    assert "系统管理员不能给自己" in response.content.decode()
    assert not StaffRole.objects.filter(user=world.admin, role=Role.HQ_SERVICE).exists()
    assert Customer.objects.visible_to(User.objects.get(pk=world.admin.pk)).count() == 0


def test_a_position_given_in_the_django_admin_is_audited_with_the_administrator_as_actor(world, client):
    client.force_login(world.admin)
    response = client.post(f"/admin/staff/user/{world.lobby_c1.pk}/change/",
                           _admin_change_payload(world.lobby_c1, [Role.NONCASH_TELLER]))
    assert response.status_code == 302, response.content.decode()[:2000]
    (row,) = _staff_rows()
    assert row.actor == world.admin and row.source == "web"
    assert row.detail["after"] == {"roles": sorted([Role.LOBBY_MANAGER, Role.NONCASH_TELLER])}


def test_a_command_cannot_combine_administrator_and_operator(world):
    with pytest.raises(ValidationError):
        call_command("shell", command=(
            "from wealthdesk.staff.models import StaffRole, User;"
            "StaffRole.objects.create(user=User.objects.get(username='admin'), role='center_head')"))
