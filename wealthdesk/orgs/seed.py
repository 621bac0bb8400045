"""Demo org tree (R1): head office, tier-1 and tier-2 branches, sub-branches, wealth centers and outlets.

small: 1 head office, 2 tier-1 branches, 2 tier-2 branches, 4 sub-branches, 8 centers (+4 outlets).
Bigger sizes add sub-branches and centers so each client manager keeps 100–200 customers.
"""
import math

from wealthdesk.core.calendar import seed_calendar
from wealthdesk.core.seeding import SeedContext

from .choices import UnitKind
from .models import OrgUnit

CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "天津", "苏州", "重庆"]
AREAS = ["东城", "西城", "朝阳", "海淀", "浦东", "徐汇", "天河", "福田", "西湖", "鼓楼", "锦江", "江汉", "雁塔", "和平"]


def centers_for(ctx: SeedContext) -> int:
    return max(8, math.ceil(ctx.customers / 750))


def _unit(code, name, kind, parent):
    unit, _ = OrgUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "parent": parent})
    return unit


def seed(ctx: SeedContext) -> None:
    seed_calendar()
    if OrgUnit.objects.filter(code="HO").exists() and OrgUnit.objects.centers().count() >= centers_for(ctx):
        ctx.log("    org tree already present")
        return
    hq = _unit("HO", "总行", UnitKind.HEAD_OFFICE, None)
    n_centers = centers_for(ctx)
    n_sub = math.ceil(n_centers / 2)
    n_b1 = max(2, math.ceil(n_sub / 30))
    branches1 = [_unit(f"B{i + 1}", f"{CITIES[i % len(CITIES)]}分行", UnitKind.BRANCH1, hq) for i in range(n_b1)]
    branches2 = [_unit(f"B{i + 1}-2", f"{CITIES[i % len(CITIES)]}{AREAS[i % len(AREAS)]}二级分行", UnitKind.BRANCH2, b)
                 for i, b in enumerate(branches1)]
    parents = [p for pair in zip(branches1, branches2, strict=True) for p in pair]
    subs = []
    for i in range(n_sub):
        parent = parents[i % len(parents)]
        area = AREAS[i % len(AREAS)]
        subs.append(_unit(f"S{i + 1}", f"{parent.name.replace('分行', '').replace('二级', '')}{area}支行{i + 1}",
                          UnitKind.SUBBRANCH, parent))
    for i in range(n_centers):
        sub = subs[i // 2]
        _unit(f"C{i + 1}", f"{sub.name}理财中心{'一二'[i % 2]}", UnitKind.CENTER, sub)
    for i, sub in enumerate(subs):
        _unit(f"O{i + 1}", f"{sub.name}营业网点", UnitKind.OUTLET, sub)
    ctx.log(f"    units: {OrgUnit.objects.count()} ({n_centers} centers)")
