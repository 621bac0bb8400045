"""Shared test helpers: a complaint of center C1, cases at each stage, a head-office relationship manager."""
from wealthdesk.complaints import services as complaint_services
from wealthdesk.complaints.choices import Category, Channel
from wealthdesk.core.roles import Role
from wealthdesk.staff.models import AgreementAcceptance, StaffRole, User

from .. import joint, services
from ..choices import SubjectKind


def complaint(world):
    if "_complaint" not in world.__dict__:
        world.__dict__["_complaint"] = complaint_services.complaint_create(
            actor=world.lobby_c1, center=world.c1, channel=Channel.COUNTER, category=Category.WAITING,
            content="跨行转账延迟，客户要求说明", customer=world.cust_a)
    return world.__dict__["_complaint"]


def open_case(world, to_unit=None, actor="head_c1", **kw):
    args = {"actor": world.users[actor], "subject_kind": SubjectKind.CUSTOMER, "subject_id": world.cust_a.pk,
            "title": "大额资金转出挽留", "question": "客户拟转出 500 万，需上级协调优惠利率", "to_unit": to_unit}
    args.update(kw)
    return services.case_open(**args)


def referred(world):
    """A case of C1 handed up to the branch (cached per world)."""
    if "_case" not in world.__dict__:
        world.__dict__["_case"] = open_case(world, to_unit=world.branch1)
    return world.__dict__["_case"]


def hq_manager(world, name="pb_hq_1"):
    """A head-office private-banking relationship manager (a client manager at head office)."""
    if name not in world.users:
        user = User(username=name, full_name=name, unit=world.hq)
        user.set_password("x")
        user.save()
        StaffRole.objects.create(user=user, role=Role.CLIENT_MANAGER)
        AgreementAcceptance.objects.create(user=user, agreement=world.agreement)
        world.users[name] = user
    return world.users[name]


def joint_team(world):
    if "_team" not in world.__dict__:
        world.__dict__["_team"] = joint.joint_team_create(actor=world.hq_service, customer=world.cust_b,
                                                          hq_manager=hq_manager(world))
    return world.__dict__["_team"]
