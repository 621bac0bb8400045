"""Shared test personas (DESIGN rule 9): a small bank with two centers, every role, and three customers.

Center A is ``C1`` (the first center; its people are named like the demo logins: ``head_c1``, ``cm_c1_1``…);
center B is ``C2`` (the outsiders). Every persona has accepted the confidentiality agreement.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from wealthdesk.core.roles import Role
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import Agreement, AgreementAcceptance, StaffRole, Team, User

PASSWORD = "Test-Pass-2026!"

# persona name -> (unit key, roles)
PERSONAS: dict[str, tuple[str, list[str]]] = {
    "admin": ("hq", [Role.SYSTEM_ADMIN]),
    "auditor": ("hq", [Role.AUDITOR]),
    "hq_service": ("hq", [Role.HQ_SERVICE]),
    "branch1_service": ("branch1", [Role.BRANCH_SERVICE]),
    "quality_b1": ("branch1", [Role.QUALITY_MANAGER]),
    "subbranch1_service": ("sub1", [Role.SUBBRANCH_SERVICE]),
    "head_c1": ("c1", [Role.CENTER_HEAD]),
    "lead_c1": ("c1", [Role.TEAM_LEAD]),
    "cm_c1_1": ("c1", [Role.CLIENT_MANAGER]),
    "cm_c1_2": ("c1", [Role.CLIENT_MANAGER]),
    "supervisor_c1": ("c1", [Role.BUSINESS_SUPERVISOR]),
    "lobby_c1": ("c1", [Role.LOBBY_MANAGER]),
    "teller_c1": ("c1", [Role.CASH_TELLER]),
    "teller2_c1": ("c1", [Role.NONCASH_TELLER]),
    "archivist_c1": ("c1", [Role.ARCHIVE_KEEPER]),
    "head_c2": ("c2", [Role.CENTER_HEAD]),
    "cm_c2_1": ("c2", [Role.CLIENT_MANAGER]),
    "advisor_1": ("hq", [Role.FINANCIAL_ADVISOR]),
    "expert_1": ("branch1", [Role.FINANCIAL_EXPERT]),
}


@dataclass
class World:
    units: dict[str, OrgUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    agreement: Agreement | None = None

    def __getattr__(self, name):
        for bucket in ("users", "units", "customers"):
            store = self.__dict__.get(bucket, {})
            if name in store:
                return store[name]
        raise AttributeError(name)


def build_world() -> World:
    w = World()
    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    b1 = OrgUnit.objects.create(code="B1", name="北京分行", kind=UnitKind.BRANCH1, parent=hq)
    b2 = OrgUnit.objects.create(code="B2", name="上海分行", kind=UnitKind.BRANCH1, parent=hq)
    sub1 = OrgUnit.objects.create(code="S1", name="朝阳支行", kind=UnitKind.SUBBRANCH, parent=b1)
    sub2 = OrgUnit.objects.create(code="S2", name="浦东支行", kind=UnitKind.SUBBRANCH, parent=b2)
    c1 = OrgUnit.objects.create(code="C1", name="朝阳理财中心", kind=UnitKind.CENTER, parent=sub1)
    c2 = OrgUnit.objects.create(code="C2", name="浦东理财中心", kind=UnitKind.CENTER, parent=sub2)
    outlet = OrgUnit.objects.create(code="O1", name="朝阳营业网点", kind=UnitKind.OUTLET, parent=sub1)
    w.units = {"hq": hq, "branch1": b1, "branch2": b2, "sub1": sub1, "sub2": sub2, "c1": c1, "c2": c2,
               "outlet1": outlet}
    w.agreement = Agreement.objects.create(version="T1", title="保密协议", text="保密", effective_from=dt.date(2020, 1, 1))
    for name, (unit_key, roles) in PERSONAS.items():
        user = User(username=name, full_name=name, unit=w.units[unit_key], is_staff=(name == "admin"),
                    is_superuser=(name == "admin"))
        user.set_password(PASSWORD)
        user.save()
        StaffRole.objects.bulk_create([StaffRole(user=user, role=r) for r in roles])
        AgreementAcceptance.objects.create(user=user, agreement=w.agreement)
        w.users[name] = user
    team1 = Team.objects.create(unit=c1, name="朝阳一组", lead=w.users["lead_c1"])
    User.objects.filter(username__in=["lead_c1", "cm_c1_1", "cm_c1_2"]).update(team=team1)
    team2 = Team.objects.create(unit=c2, name="浦东一组")
    User.objects.filter(username="cm_c2_1").update(team=team2)
    for name in ("lead_c1", "cm_c1_1", "cm_c1_2", "cm_c2_1"):
        w.users[name].refresh_from_db()
    w.customers = {
        "cust_a": _customer("C000000001", "张伟", "110105198001010016", "13812341234", c1, w.users["cm_c1_1"],
                            Tier.CORE, "1500000.00"),
        "cust_a2": _customer("C000000002", "李娜", "11010519850202002X", "13922223333", c1, w.users["cm_c1_2"],
                             Tier.PREMIUM, "400000.00"),
        "cust_b": _customer("C000000003", "王芳", "310115199003030024", "13633334444", c2, w.users["cm_c2_1"],
                            Tier.PRIVATE, "8000000.00"),
    }
    return w


def _customer(cif, name, id_number, mobile, center, cm, tier, aum) -> Customer:
    return Customer.objects.create(
        cif_no=cif, name=name, id_number=id_number, mobile=mobile, address="北京市朝阳区建国路88号3栋1201室",
        center=center, client_manager=cm, tier=tier, aum=Decimal(aum), aum_avg=Decimal(aum), gender="M",
        birth_date=dt.date(1980, 1, 1),
    )
