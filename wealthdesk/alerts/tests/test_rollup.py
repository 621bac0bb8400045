"""R1: the upper levels' home panel of open alerts: a branch's figure is the sum of its centers'."""
from types import SimpleNamespace

import pytest

from wealthdesk.alerts import selectors
from wealthdesk.alerts.panels import subtree_alerts_panel
from wealthdesk.core.testing.rollup import add_center, add_customers

from .helpers import make_alert

pytestmark = pytest.mark.django_db


def test_branch_open_alerts_are_the_sum_of_its_centers(world):
    c3 = add_center(world)
    make_alert(world.cust_a)
    make_alert(world.cust_a2, kind="other_bank")
    for customer in add_customers(world, c3, world.cm_c3_1, 3):
        make_alert(customer)
    make_alert(world.cust_b)  # another branch
    centers = {h: selectors.alert_counts(world.users[h])["open"] for h in ("head_c1", "head_c3", "head_c2")}
    assert centers == {"head_c1": 2, "head_c3": 3, "head_c2": 1}
    for persona, root_children in (("branch1_service", {"S1": 5}), ("subbranch1_service", {"C1": 2, "C3": 3}),
                                   ("hq_service", {"B1": 5, "B2": 1})):
        panel = subtree_alerts_panel(SimpleNamespace(user=world.users[persona]))
        got = {r["unit"].code: int(r["figures"].get("open", 0)) for r in panel["rows"]}
        assert {k: v for k, v in got.items() if k in root_children} == root_children, persona
        assert panel["counts"]["open"] == sum(root_children.values())
