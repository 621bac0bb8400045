"""Roll-up test helpers (R1): a second center under the first sub-branch, so a sub-branch and a branch have two
centers whose figures must add up."""
from __future__ import annotations

from decimal import Decimal

from wealthdesk.core.roles import Role
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import AgreementAcceptance, StaffRole, User

from .world import PASSWORD


def add_center(world, code: str = "C3", name: str = "望京理财中心"):
    """A center beside C1 under S1 with a head (``head_<code>``) and a client manager (``cm_<code>_1``)."""
    center = OrgUnit.objects.create(code=code, name=name, kind=UnitKind.CENTER, parent=world.sub1)
    world.units[code.lower()] = center
    for username, role in ((f"head_{code.lower()}", Role.CENTER_HEAD), (f"cm_{code.lower()}_1", Role.CLIENT_MANAGER)):
        user = User(username=username, full_name=username, unit=center)
        user.set_password(PASSWORD)
        user.save()
        StaffRole.objects.create(user=user, role=role)
        AgreementAcceptance.objects.create(user=user, agreement=world.agreement)
        world.users[username] = user
    return center


def add_customers(world, center, manager, n: int, *, tier: str = "premium", prefix: str = "R") -> list[Customer]:
    return [Customer.objects.create(cif_no=f"{prefix}{center.code}{i:06d}", name=f"客户{center.code}{i}",
                                    id_type="other", id_number=f"{prefix}{center.code}{i}", center=center,
                                    client_manager=manager, tier=tier, aum=Decimal("500000"),
                                    aum_avg=Decimal("500000"))
            for i in range(n)]
