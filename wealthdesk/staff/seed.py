"""Demo staff: per center a head, a team lead, 5 client managers, a business supervisor, a lobby manager,
a cash and a non-cash teller and an archive keeper; upper-level service staff, an auditor, a quality manager,
an external advisor, an internal expert and the system administrator. Password: ``WealthDesk-demo-2026``.
"""
import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db.models import OuterRef, Subquery

from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import DEMO_PASSWORD, SeedContext
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from .models import Agreement, AgreementAcceptance, StaffRole, Team, User

CMS_PER_CENTER = 5
AGREEMENT_TEXT = """本人作为银行员工，承诺：
一、严格保守客户资料秘密，不向任何第三方泄露客户信息；
二、客户资料不得带出银行，不得用于与工作无关的用途；
三、仅在工作需要时查看客户信息，查看明文须说明原因并接受审计；
四、离岗、调岗时按规定移交客户资料。
违反本协议的，依照银行规章和国家法律承担责任。"""
NOT_ACCEPTED = {"cm_c2_2"}  # shows the agreement gate in the demo (R28)


def center_staff(center_no: int) -> list[tuple[str, str, list[str]]]:
    """(username, display name suffix, roles) for one center."""
    c = f"c{center_no}"
    rows = [
        (f"head_{c}", "理财中心负责人", [Role.CENTER_HEAD]),
        (f"lead_{c}", "客户经理组长", [Role.TEAM_LEAD]),
        (f"supervisor_{c}", "业务主管", [Role.BUSINESS_SUPERVISOR]),
        (f"lobby_{c}", "大堂经理", [Role.LOBBY_MANAGER]),
        (f"teller_{c}", "现金柜员", [Role.CASH_TELLER]),
        (f"teller2_{c}", "非现金柜员", [Role.NONCASH_TELLER]),
        (f"archivist_{c}", "档案保管员", [Role.ARCHIVE_KEEPER]),
    ]
    rows += [(f"cm_{c}_{i}", f"客户经理{i}", [Role.CLIENT_MANAGER]) for i in range(1, CMS_PER_CENTER + 1)]
    return rows


def seed(ctx: SeedContext) -> None:
    agreement, _ = Agreement.objects.get_or_create(
        version="2026-01", defaults={"title": "客户信息保密协议", "text": AGREEMENT_TEXT,
                                     "effective_from": dt.date(2026, 1, 1)})
    password = make_password(DEMO_PASSWORD)
    existing = set(User.objects.values_list("username", flat=True))
    hq = OrgUnit.objects.get(code="HO")
    b1 = OrgUnit.objects.get(code="B1")
    s1 = OrgUnit.objects.get(code="S1")
    upper = [
        ("admin", "系统管理员", hq, [Role.SYSTEM_ADMIN]),
        ("auditor", "审计员", hq, [Role.AUDITOR]),
        ("hq_service", "总行客户服务处", hq, [Role.HQ_SERVICE]),
        ("branch1_service", "分行客户服务科", b1, [Role.BRANCH_SERVICE]),
        ("quality_b1", "品质管理经理", b1, [Role.QUALITY_MANAGER]),
        ("subbranch1_service", "支行优质客户服务组", s1, [Role.SUBBRANCH_SERVICE]),
        ("advisor_1", "外部理财顾问", hq, [Role.FINANCIAL_ADVISOR]),
        ("expert_1", "理财专家", b1, [Role.FINANCIAL_EXPERT]),
    ]
    centers = list(OrgUnit.objects.filter(kind=UnitKind.CENTER).order_by("id"))
    plan: list[tuple[str, str, OrgUnit, list[str]]] = list(upper)
    for no, center in enumerate(centers, start=1):
        plan += [(u, label, center, roles) for u, label, roles in center_staff(no)]
    new_users, new_roles = [], []
    for username, _label, unit, roles in plan:
        if username in existing:
            continue
        surname = ctx.faker.last_name()
        given = ctx.faker.first_name()
        user = User(username=username, full_name=f"{surname}{given}", password=password, unit=unit,
                    employee_no=f"E{len(existing) + len(new_users) + 1:06d}", is_staff=(username == "admin"),
                    is_superuser=(username == "admin"))
        new_users.append((user, roles))
    User.objects.bulk_create([u for u, _ in new_users], batch_size=2000)
    ids = dict(User.objects.filter(username__in=[u.username for u, _ in new_users]).values_list("username", "id"))
    for user, roles in new_users:
        new_roles += [StaffRole(user_id=ids[user.username], role=r) for r in roles]
    StaffRole.objects.bulk_create(new_roles, batch_size=5000, ignore_conflicts=True)
    _seed_teams(centers)
    accepted = set(AgreementAcceptance.objects.filter(agreement=agreement).values_list("user_id", flat=True))
    AgreementAcceptance.objects.bulk_create(
        [AgreementAcceptance(user_id=uid, agreement=agreement)
         for uname, uid in User.objects.values_list("username", "id")
         if uid not in accepted and uname not in NOT_ACCEPTED],
        batch_size=5000,
    )
    ctx.log(f"    staff: {User.objects.count()}")


def _seed_teams(centers) -> None:
    """One client-manager team per center, led by the center's team lead."""
    have = set(Team.objects.values_list("unit_id", flat=True))
    leads = dict(User.objects.filter(role_assignments__role=Role.TEAM_LEAD).values_list("unit_id", "id"))
    Team.objects.bulk_create(
        [Team(unit=c, name=f"{c.name}客户经理组", lead_id=leads.get(c.pk)) for c in centers if c.pk not in have],
        batch_size=2000,
    )
    User.objects.filter(team__isnull=True, unit__kind=UnitKind.CENTER,
                        role_assignments__role__in=[Role.CLIENT_MANAGER, Role.TEAM_LEAD]).update(
        team_id=Subquery(Team.objects.filter(unit_id=OuterRef("unit_id")).values("id")[:1]))
