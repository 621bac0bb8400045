"""Each analysis (R36) against the hand-computed fixture in ``fixtures.py``."""
import pytest
from django.utils import timezone

from wealthdesk.analyses import selectors
from wealthdesk.analyses.selectors.contribution import pareto
from wealthdesk.core.masking import mask_name

pytestmark = pytest.mark.django_db


def run(world, fx, kind, who="head_c1", unit=None):
    return selectors.analysis(world.users[who], kind, unit or world.c1, fx.period)


def rows(table):
    return {str(r[0]): r[1:] for r in table.rows}


def test_pareto_shares_of_a_plain_list():
    amounts = [50, 20, 10, 10, 5, 5] + [0] * 94  # 100 customers, total 100
    assert pareto(amounts, 100) == {0.01: 0.5, 0.05: 0.95, 0.20: 1.0}
    assert pareto([], 0) == {0.01: 0.0, 0.05: 0.0, 0.20: 0.0}


def test_contribution_pareto_tiers_and_managers(world, fx):
    r = run(world, fx, "contribution")
    assert r.empty == "" and r.as_of == fx.period.end
    # ten customers of C1 on the last day (closed x9 and C2's customer left out): total 8,500,000
    assert r.figure("customers") == 10 and r.figure("aum") == 8_500_000
    # top 1 % and 5 % = the first customer (5,000,000); top 20 % = two (6,000,000)
    assert r.figure("top_1") == round(5 / 8.5, 4) and r.figure("top_5") == round(5 / 8.5, 4)
    assert r.figure("top_20") == round(6 / 8.5, 4)
    tiers = rows(r.table("tiers"))  # tier at the half-year's end, from the tier history
    assert tiers["私人银行客户"][:2] == [1, 5_000_000]
    assert tiers["核心优质客户"][:2] == [1, 1_000_000]  # cust_a (x4 was premium at the end)
    assert tiers["普通优质客户"][:2] == [4, 2_100_000]
    assert tiers["普通客户"][:2] == [4, 400_000]
    managers = rows(r.table("managers"))
    assert managers[str(world.cm_c1_1)][:2] == [3, 6_300_000]
    assert managers[str(world.cm_c1_2)][:2] == [7, 2_200_000]
    top = r.table("top")
    assert top.rows[0][1] == mask_name("测试客户x1") != "测试客户x1" and top.links[0] == fx.customers["x1"].pk  # masked, linked
    assert all("测试客户" not in str(row) for row in top.rows)


def test_contribution_at_head_office_adds_the_other_center(world, fx):
    r = run(world, fx, "contribution", who="hq_service", unit=world.hq)
    assert r.figure("customers") == 11 and r.figure("aum") == 16_500_000


def test_product_penetration_and_cross_sell(world, fx):
    r = run(world, fx, "products")
    # held on the last day: 9 holdings, 8 distinct (customer, product) pairs among 10 customers, 5 holders
    assert r.figure("customers") == 10 and r.figure("holders") == 5 and r.figure("products_held") == 8
    assert r.figure("cross_sell") == 0.8 and r.figure("cross_sell_holders") == 1.6
    kinds = rows(r.table("kinds"))  # [holders, holdings, penetration, amount]
    assert kinds["基金"][:3] == [3, 4, 0.3]
    assert kinds["理财产品"][:3] == [1, 1, 0.1]
    assert kinds["第三方产品"][:3] == [2, 2, 0.2]
    assert kinds["贵金属"][:3] == [0, 0, 0.0]  # x6's metal began after the end
    bought = rows(r.table("bought"))
    assert bought["第三方产品"] == [1, 1, 1000.0]
    by_tier = rows(r.table("tiers"))
    assert by_tier["核心优质客户"][0] == 1 and by_tier["核心优质客户"][-1] == 2.0  # cust_a: two products
    assert by_tier["普通优质客户"][0] == 4 and by_tier["普通优质客户"][-1] == 1.25  # a2: 2, x3: 1, x5: 2, x4: 0 → 5/4
    ages = rows(r.table("ages"))
    assert ages["30岁以下"][0] == 2 and ages["未知"][0] == 1


def test_channel_counts_by_month_and_tier(world, fx):
    r = run(world, fx, "channels")
    assert r.figure("transactions") == 6  # next half-year, C2 and the closed customer left out
    assert r.figure("digital_share") == 0.5 and r.figure("top_channel") == "手机银行"
    channels = rows(r.table("channels"))
    assert channels["手机银行"][0] == 2 and channels["柜面"][0] == 1 and channels["ATM"][0] == 1
    assert channels["网上银行"][0] == 1 and channels["电话银行"][0] == 1 and channels["第三方"][0] == 0
    months = rows(r.table("months"))
    first, last = f"{fx.period.start:%Y-%m}", f"{fx.period.end:%Y-%m}"
    assert months[first][-1] == 3 and months[last][-1] == 1  # the 23:30 transaction on the last day counts
    assert sum(row[-1] for row in r.table("months").rows) == 6
    tiers = rows(r.table("tiers"))
    assert tiers["核心优质客户"][-2] == 2 and tiers["普通优质客户"][-2] == 2 and tiers["私人银行客户"][-2] == 1


def test_investment_allocation_and_survey_answers(world, fx):
    r = run(world, fx, "investment")
    assert r.figure("holdings_amount") == 1_750_000 and r.figure("responses") == 3
    classes = rows(r.table("classes"))
    assert classes["存款"][:2] == [200_000, round(200 / 1750, 4)]
    assert classes["基金"][0] == 350_000 and classes["债券及代销产品"][0] == 1_100_000
    assert classes["贵金属"][0] == 0
    survey = next(t for t in r.tables if t.key.startswith("survey-"))
    assert rows(survey) == {"收益": [1, round(1 / 3, 4)], "安全": [2, round(2 / 3, 4)], "流动性": [0, 0.0]}
    assert len([t for t in r.tables if t.key.startswith("survey-")]) == 1  # the text question has no table


def test_groups_bands_and_transition_matrix(world, fx):
    r = run(world, fx, "groups")
    bands = rows(r.table("aum_bands"))
    assert bands["5万元以下"][0] == 0 and bands["5–20万元"][0] == 3 and bands["20–100万元"][0] == 5
    assert bands["100–600万元"][0] == 2 and bands["600万元及以上"][0] == 0
    ages = rows(r.table("ages"))
    assert [ages[k][0] for k in ("30岁以下", "30–39岁", "40–49岁", "50–59岁", "60岁及以上", "未知")] == [2, 3, 2, 1, 1, 1]
    stages = [row[1] for row in r.table("life_stages").rows]
    assert stages == [2, 4, 2, 1, 1]
    matrix = {row[0]: row[1:] for row in r.table("migration").rows}  # columns: private, core, premium, ordinary
    assert matrix["私人银行客户"] == [1, 0, 0, 0, 1]
    assert matrix["核心优质客户"] == [0, 0, 1, 0, 1]  # x4 core → premium (back to core only after the end)
    assert matrix["普通优质客户"] == [0, 1, 2, 1, 4]  # cust_a up, a2 and x5 stay, x2 down
    assert matrix["普通客户"] == [0, 0, 1, 3, 4]  # x3 graded premium during the half-year
    assert matrix["合计"] == [1, 1, 4, 4, 10]
    assert r.figure("upgrades") == 2 and r.figure("downgrades") == 2


def test_risk_mismatches_matrix_and_concentration(world, fx):
    r = run(world, fx, "risk")
    assert r.figure("mismatches") == 3 and r.figure("mismatch_customers") == 3
    assert r.figure("mismatch_amount") == 250_000 and r.figure("unassessed") == 1
    listed = r.table("mismatches")
    assert sorted(listed.links) == sorted([fx.customers[n].pk for n in ("cust_a", "cust_a2", "x5")])
    assert {row[3] for row in listed.rows} == {"产品P_R5", "产品P_R3", "产品P_R2"}
    assert all("*" in row[0] for row in listed.rows)  # names masked
    matrix = {row[0]: row[1:] for row in r.table("matrix").rows}  # R1..R5, none, total
    assert matrix["C4 成长型"] == [0, 0, 0, 1, 1, 0, 2]
    assert matrix["C2 稳健型"] == [0, 2, 1, 0, 0, 0, 3]
    assert matrix["未评估"] == [0, 1, 0, 0, 0, 1, 2]
    assert r.figure("top_product_share") == round(1.1 / 1.75, 4)


def test_empty_states_say_why(world):
    from wealthdesk.analyses.periods import half_of

    period = half_of(timezone.localdate())
    for kind in ("contribution", "products", "channels", "risk"):
        r = selectors.analysis(world.users["head_c2"], kind, world.c2, period)
        assert r.empty, kind
    assert "日终资产" in selectors.analysis(world.users["head_c2"], "contribution", world.c2, period).empty
    assert "交易流水" in selectors.analysis(world.users["head_c2"], "channels", world.c2, period).empty


def test_a_unit_outside_the_subtree_is_not_found(world):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.unit_for(world.users["head_c1"], world.c2.pk)
    with pytest.raises(Http404):
        selectors.unit_for(world.users["head_c1"], world.sub1.pk)  # above the head's center
    assert selectors.unit_for(world.users["branch1_service"], world.c1.pk) == world.c1
