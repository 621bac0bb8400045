"""Grow the test world for query-count tests (issue 16): more centers under both branches, each with a head, a
team lead, two client managers in a team and a lobby manager, and more customers per client manager — in c1 too,
so a center's own pages also see more rows. Counts measured before and after ``grow`` must be equal: a page's
queries may not depend on the data size or on the scope.

    first = query_counts(world, ["head_c1", "branch1_service", "hq_service"], fetch)
    grow(world, 9)
    assert query_counts(world, [...], fetch) == first
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.core.roles import Role
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import AgreementAcceptance, StaffRole, Team, User

from .world import PASSWORD, World

_serial = itertools.count(1)
TIERS = [Tier.PREMIUM, Tier.CORE, Tier.PRIVATE, Tier.ORDINARY]


def grow(world: World, factor: int, *, customers_per_manager: int = 3,
         extra: Callable[[World, OrgUnit, dict[str, User]], None] | None = None) -> list[OrgUnit]:
    """Add ``factor`` centers (alternately under sub1 and sub2) with their people and customers, and
    ``customers_per_manager × factor`` more customers to c1's client managers. ``extra(world, center, people)``
    adds an app's own rows for each new center (and once for c1 with its people). Returns the new centers."""
    centers = []
    for i in range(factor):
        n = next(_serial)
        parent = world.sub1 if i % 2 == 0 else world.sub2
        center = OrgUnit.objects.create(code=f"GC{n}", name=f"扩展理财中心{n}", kind=UnitKind.CENTER, parent=parent)
        people = {
            "head": _user(world, f"g{n}_head", center, Role.CENTER_HEAD),
            "lead": _user(world, f"g{n}_lead", center, Role.TEAM_LEAD),
            "cm1": _user(world, f"g{n}_cm1", center, Role.CLIENT_MANAGER),
            "cm2": _user(world, f"g{n}_cm2", center, Role.CLIENT_MANAGER),
            "lobby": _user(world, f"g{n}_lobby", center, Role.LOBBY_MANAGER),
        }
        team = Team.objects.create(unit=center, name=f"扩展{n}组", lead=people["lead"])
        User.objects.filter(pk__in=[people[k].pk for k in ("lead", "cm1", "cm2")]).update(team=team)
        for key in ("cm1", "cm2"):
            _customers(center, people[key], customers_per_manager)
        centers.append(center)
        if extra:
            extra(world, center, people)
    for cm in (world.cm_c1_1, world.cm_c1_2):
        _customers(world.c1, cm, customers_per_manager * factor)
    team = world.lead_c1.team
    for _i in range(max(1, factor // 3)):  # c1 itself gets more staff: per-person queries would show
        cm = _user(world, f"g{next(_serial)}_c1cm", world.c1, Role.CLIENT_MANAGER)
        User.objects.filter(pk=cm.pk).update(team=team)
        _customers(world.c1, cm, customers_per_manager)
    _activity(Customer.objects.filter(cif_no__startswith="G", contact_records__isnull=True))
    if extra:
        extra(world, world.c1, {"head": world.head_c1, "lead": world.lead_c1, "cm1": world.cm_c1_1,
                                "cm2": world.cm_c1_2, "lobby": world.lobby_c1})
    return centers


def _user(world: World, username: str, unit: OrgUnit, role: str) -> User:
    user = User(username=username, full_name=username, unit=unit)
    user.set_password(PASSWORD)
    user.save()
    StaffRole.objects.create(user=user, role=role)
    AgreementAcceptance.objects.create(user=user, agreement=world.agreement)
    return user


def _customers(center: OrgUnit, manager: User, n: int) -> None:
    rows = []
    for _ in range(n):
        k = next(_serial)
        rows.append(Customer(cif_no=f"G{k:09d}", name=f"客户{k}", id_number=f"1101051980{k % 10**8:08d}",
                             mobile=f"139{k % 10**8:08d}", address="北京市朝阳区建国路1号", center=center,
                             client_manager=manager, tier=TIERS[k % len(TIERS)], aum=Decimal("600000.00"),
                             aum_avg=Decimal("600000.00"), gender="F", birth_date=dt.date(1985, 5, 5)))
    Customer.objects.bulk_create(rows)


def _activity(customers) -> None:
    """A contact for every other new customer and a submitted daily log yesterday for their managers."""
    from django.utils import timezone

    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.worklogs.models import DailyLog

    now = timezone.now()
    rows, managers = [], {}
    for i, c in enumerate(customers.select_related("client_manager")):
        managers[c.client_manager_id] = c.center_id
        if i % 2 == 0:
            rows.append(ContactRecord(customer=c, staff_id=c.client_manager_id, kind="phone",
                                      contacted_at=now - dt.timedelta(days=i % 40), purpose="回访"))
    ContactRecord.objects.bulk_create(rows)
    day = timezone.localdate() - dt.timedelta(days=1)
    DailyLog.objects.bulk_create([DailyLog(staff_id=uid, center_id=cid, log_date=day, status="submitted")
                                  for uid, cid in managers.items()], ignore_conflicts=True)


def query_count(fetch: Callable[[], object]) -> int:
    """The number of queries ``fetch()`` runs (after one warm-up call, so caches are filled as in production)."""
    fetch()
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


def query_counts(personas: Iterable[str], fetch_as: Callable[[str], object]) -> dict[str, int]:
    """``{persona: queries}`` for ``fetch_as(persona)``."""
    return {name: query_count(lambda name=name: fetch_as(name)) for name in personas}


def page_fetcher(world: World, url: str, *, api: bool = False) -> Callable[[str], object]:
    """``fetch(persona)`` for ``query_counts``: GET ``url`` signed in as the persona (one client each, signed in
    once, so the counted request is the page alone); anything but 200 fails the test."""
    from django.test import Client
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    clients: dict[str, object] = {}

    def fetch(name: str):
        client = clients.get(name)
        if client is None:
            if api:
                client = APIClient()
                token, _ = Token.objects.get_or_create(user=world.users[name])
                client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            else:
                client = Client()
                client.force_login(world.users[name])
            clients[name] = client
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        return response

    return fetch


def walk_keyset(user, url: str) -> list[dict]:
    """Every row of a keyset-paged API list as ``user`` reads it, following ``next`` to the end (each answer must
    carry the keyset list's keys)."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(user)
    rows = []
    while url:
        body = api.get(url).json()
        assert {"count", "count_exact", "next", "previous", "results"} <= set(body)
        rows += body["results"]
        url = body["next"]
    return rows
