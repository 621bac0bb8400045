"""The upper levels' 下级报送 board counted in SQL (issue 16): ``board_grouped(board_plan(...))`` gives the figures
``board_by_child(due_board(...))`` gives (the detail path, kept), on random data — several branches, a tier-2
branch, inactive units, client managers who left or moved, reports of every kind in every status, late and on
time — and in the same number of queries for 1x and 10x centers."""
import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.core import submission_views
from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.roles import Role
from wealthdesk.core.submission import (
    ARRIVED,
    BoardGroup,
    SubmissionStatus,
    board_by_child,
    board_grouped,
    board_plan,
    due_board,
    period_end_of,
    previous_period_start,
    report_kinds,
)
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import StaffRole, User

pytestmark = pytest.mark.django_db

STATUSES = [SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED, SubmissionStatus.RECEIVED, SubmissionStatus.SHARED]


@pytest.fixture(autouse=True)
def holidays():
    seed_calendar()


def _unit(code, kind, parent, active=True):
    return OrgUnit.objects.create(code=code, name=f"机构{code}", kind=kind, parent=parent, is_active=active)


def _grow(world, rng, *, branches=2, subs=2, centers=2, tag="X"):
    """More bank under head office: tier-1 branches with sub-branches (one inactive: its centers report to the
    branch), a tier-2 branch passing reports on, centers (one inactive), client managers per center."""
    made = []
    n = 0
    for b in range(branches):
        branch = _unit(f"{tag}B{b}", UnitKind.BRANCH1, world.hq)
        parents = [branch, _unit(f"{tag}B{b}T", UnitKind.BRANCH2, branch)]
        for s in range(subs):
            parent = parents[s % 2]
            sub = _unit(f"{tag}B{b}S{s}", UnitKind.SUBBRANCH, parent, active=rng.random() > 0.2)
            for _c in range(centers):
                n += 1
                made.append(_unit(f"{tag}C{n}", UnitKind.CENTER, sub, active=rng.random() > 0.1))
    for center in [world.c1, world.c2, *made]:
        for i in range(rng.randint(0, 4)):
            user = User.objects.create(username=f"{tag}cm{center.pk}_{i}", full_name=f"客户经理{center.pk}-{i}",
                                       unit=center, is_active=rng.random() > 0.15)
            roles = [Role.CLIENT_MANAGER] + ([Role.TEAM_LEAD] if rng.random() < 0.2 else [])
            StaffRole.objects.bulk_create([StaffRole(user=user, role=r) for r in roles])
        if rng.random() < 0.2:  # a teller owes nothing
            user = User.objects.create(username=f"{tag}t{center.pk}", unit=center)
            StaffRole.objects.create(user=user, role=Role.CASH_TELLER)
    return made


def _report(kind, unit, start, rng, author=None):
    model = kind.model
    fields = {f"{kind.unit_field}_id": unit.pk, kind.period_field: start, **kind.kind_filter}
    if any(f.name == "period_end" for f in model._meta.concrete_fields):
        fields["period_end"] = period_end_of(kind.period, start)
    if author is not None:
        fields["author_id"] = author.pk
    due = kind.due_on(start)
    status = rng.choice(STATUSES)
    fields["status"] = status
    fields["due_on"] = rng.choice([due, due, None, due - dt.timedelta(days=40), timezone.localdate()
                                   + dt.timedelta(days=3)])
    if status in ARRIVED:
        base = rng.choice([due or start, start])
        fields["submitted_at"] = rng.choice([
            None, timezone.make_aware(dt.datetime.combine(base, dt.time(9))) + dt.timedelta(days=rng.randint(-5, 5)),
            timezone.make_aware(dt.datetime.combine(base, dt.time(23, 30))),  # late evening: the local date counts
        ])
    elif rng.random() < 0.3:
        fields["returned_at"] = timezone.now()
    return model(**fields)


def _fill(world, rng, periods):
    """Reports of every kind for the given period days (some missing, every status, due dates on time and not)."""
    writers = {k: list(OrgUnit.objects.filter(kind=k)) for k in (UnitKind.CENTER, UnitKind.BRANCH1)}
    cms = list(User.objects.filter(role_assignments__role=Role.CLIENT_MANAGER).distinct().select_related("unit"))
    centers = writers[UnitKind.CENTER]
    for kind in report_kinds().values():
        batch = []
        for on in periods:
            start = previous_period_start(kind.period, on)
            if kind.author == "staff":
                for cm in cms:
                    if rng.random() < 0.75:
                        # mostly their own center; sometimes the center they left (the report stays there)
                        unit = cm.unit if rng.random() > 0.1 else rng.choice(centers)
                        batch.append(_report(kind, unit, start, rng, author=cm))
            else:
                for unit in writers.get(kind.author_unit_kind, []):
                    if rng.random() < 0.7:
                        batch.append(_report(kind, unit, start, rng))
        seen, unique = set(), []
        for r in batch:
            key = (getattr(r, f"{kind.unit_field}_id") if kind.author != "staff" else r.author_id,
                   getattr(r, kind.period_field))
            if key not in seen:
                seen.add(key)
                unique.append(r)
        kind.model.objects.bulk_create(unique)


def _norm(rows):
    out = []
    for r in rows:
        line = (r.kind.key, r.unit.pk, r.period_start, r.due_on, r.expected, r.arrived, r.late)
        if isinstance(r, BoardGroup):
            out.append(("group", *line, r.missing, r.units))
        else:
            out.append(("row", *line, tuple(r.missing), tuple(sorted(x.pk for x in r.reports))))
    return out


def _check(user, focus, on, kind_key=""):
    children = list(focus.children.all())
    old = board_by_child(due_board(user, on=on, kind_key=kind_key, within=focus), focus, children)
    plan = board_plan(user, on=on, kind_key=kind_key, within=focus)
    assert plan.size == len(due_board(user, on=on, kind_key=kind_key, within=focus))
    new = board_grouped(plan, focus, children)
    assert _norm(new) == _norm(old), (user.username, focus.code, on, kind_key)
    return old


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_grouped_figures_equal_the_detail_added_up(world, seed):
    rng = random.Random(seed)
    today = timezone.localdate()
    days = [today, today - dt.timedelta(days=35), today - dt.timedelta(days=100)]
    _grow(world, rng)
    b1 = OrgUnit.objects.get(code="XB0")
    t2 = OrgUnit.objects.get(code="XB0T")
    # below the tier-2 branch: a closed sub-branch and a center right under it, both reporting to the tier-1
    # branch above — outside the board of the tier-2 branch's own staff
    closed = _unit("XT2S", UnitKind.SUBBRANCH, t2, active=False)
    _unit("XT2C1", UnitKind.CENTER, closed)
    _unit("XT2C2", UnitKind.CENTER, t2)
    _unit("XT2C3", UnitKind.CENTER, _unit("XT2S2", UnitKind.SUBBRANCH, t2))
    t2_service = User.objects.create(username="t2_service", unit=t2)
    StaffRole.objects.create(user=t2_service, role=Role.BRANCH_SERVICE)
    # a closed tier-1 branch: below one tier-2 branch, the centers of an open sub-branch report to it, a center
    # right under the tier-2 branch reports to head office (the child adds up the first, not the second)
    shut = _unit("XSHUT", UnitKind.BRANCH1, world.hq, active=False)
    shut_t2 = _unit("XSHUTT", UnitKind.BRANCH2, shut)
    _unit("XSHUTC1", UnitKind.CENTER, _unit("XSHUTS", UnitKind.SUBBRANCH, shut_t2))
    _unit("XSHUTC2", UnitKind.CENTER, shut_t2)
    shut_service = User.objects.create(username="shut_service", unit=shut)
    StaffRole.objects.create(user=shut_service, role=Role.BRANCH_SERVICE)
    extra = {"t2_service": t2_service, "shut_service": shut_service}
    _fill(world, rng, days)
    checks = [("t2_service", t2), ("shut_service", shut), ("hq_service", shut), ("hq_service", world.hq), ("hq_service", world.branch1), ("hq_service", b1), ("hq_service", t2),
              ("branch1_service", world.branch1), ("branch1_service", world.sub1),
              ("subbranch1_service", world.sub1), ("head_c1", world.c1)]
    groups = 0
    for on in days:
        for name, focus in checks:
            user = extra.get(name) or world.users[name]
            rows = _check(user, focus, on)
            groups += sum(isinstance(r, BoardGroup) for r in rows)
    for kind_key in report_kinds():
        _check(world.hq_service, world.hq, today, kind_key)
    assert groups > 20, "the random bank has groups to compare"
    rows = _check(world.hq_service, world.hq, days[1])
    assert any(isinstance(r, BoardGroup) and r.late for r in rows)
    assert any(isinstance(r, BoardGroup) and r.kind.author == "staff" and r.arrived for r in rows)
    rows = _check(world.hq_service, world.branch1, days[2])
    assert any(not isinstance(r, BoardGroup) and r.unit == world.branch1 for r in rows), \
        "head office drilled into a branch: the branch's own market report stays a detail row"


def _queries(client, url):
    client.get(url)  # parameters cached, as on a warm server
    with CaptureQueriesContext(connection) as q:
        response = client.get(url)
    assert response.status_code == 200
    return len(q.captured_queries), response.content.decode()


def test_the_grouped_board_costs_the_same_queries_for_ten_times_the_centers(login_as, world, monkeypatch):
    monkeypatch.setattr(submission_views, "BOARD_DETAIL_ROWS", 1)
    rng = random.Random(7)
    today = timezone.localdate()
    _grow(world, rng, branches=1, subs=1, centers=2, tag="A")
    _fill(world, rng, [today])
    client = login_as("hq_service")
    counts = {}
    for size, tag in ((1, ""), (10, "Z")):
        if tag:
            _grow(world, rng, branches=3, subs=4, centers=3, tag=tag)  # 4 centers -> 40
            _fill_only_new(world, rng, today, tag)
        counts[size] = {url: _queries(client, url)[0]
                        for url in ("/core/submissions/", f"/core/submissions/?unit={world.branch1.pk}")}
        assert 'data-testid="board-grouped"' in _queries(client, "/core/submissions/")[1]
    assert counts[1] == counts[10]


def _fill_only_new(world, rng, on, tag):
    """Today's reports of the units added by ``_grow(tag=...)`` (the earlier units keep theirs)."""
    new_units = list(OrgUnit.objects.filter(code__startswith=tag))
    new_cms = list(User.objects.filter(username__startswith=f"{tag}cm").select_related("unit"))
    for kind in report_kinds().values():
        start = previous_period_start(kind.period, on)
        if kind.author == "staff":
            batch = [_report(kind, cm.unit, start, rng, author=cm) for cm in new_cms if rng.random() < 0.75]
        else:
            batch = [_report(kind, u, start, rng) for u in new_units if u.kind == kind.author_unit_kind]
        kind.model.objects.bulk_create(batch)
