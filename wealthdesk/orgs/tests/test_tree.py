"""R1: the org tree keeps a materialized path so a subtree is one prefix query; moves rewrite the subtree."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.customers.models import Customer
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_paths_chain_the_ancestors(world):
    assert world.c1.path == f"{world.hq.pk:06d}/{world.branch1.pk:06d}/{world.sub1.pk:06d}/{world.c1.pk:06d}/"
    assert world.c1.depth == 3
    assert list(world.c1.ancestors()) == [world.hq, world.branch1, world.sub1]


def test_moving_a_sub_branch_moves_its_centers_and_their_customers_scope(world):
    world.sub1.parent = world.branch2
    world.sub1.save()
    world.c1.refresh_from_db()
    assert world.c1.path.startswith(world.branch2.path)
    assert world.cust_a not in Customer.objects.visible_to(world.branch1_service)


def test_a_center_cannot_hang_directly_under_head_office(world):
    unit = OrgUnit(code="C9", name="错误中心", kind=UnitKind.CENTER, parent=world.hq)
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert "parent" in exc.value.message_dict


def test_upper_levels_see_their_subtree_and_ancestors_only(world):
    visible = set(OrgUnit.objects.visible_to(world.branch1_service).values_list("code", flat=True))
    assert visible == {"HO", "B1", "S1", "C1", "O1"}
    assert OrgUnit.objects.visible_to(world.admin).count() == OrgUnit.objects.count()


def test_org_page_shows_each_upper_unit_the_sum_of_its_centers_customers(world, login_as):
    """R1: 客户数 of a branch, a sub-branch and head office is the sum of the centers below (as on the home panel)."""
    import re

    from wealthdesk.core.testing.rollup import add_center, add_customers

    c3 = add_center(world)
    add_customers(world, c3, world.cm_c3_1, 4)
    client = login_as("hq_service")
    pages = {}

    def count(code):
        """The unit's row on the page of its parent (the page shows one unit and the units below it)."""
        unit = OrgUnit.objects.get(code=code)
        parent = unit.parent_id or unit.pk
        if parent not in pages:
            pages[parent] = client.get(f"/orgs/?unit={parent}").content.decode()
        row = re.search(rf"<td>{code}</td>.*?</tr>", pages[parent], re.S).group(0)
        return int(re.findall(r'<td class="num">(\d+)</td>', row)[-1])

    centers = {code: Customer.objects.filter(center__code=code).count() for code in ("C1", "C2", "C3")}
    assert centers == {"C1": 2, "C2": 1, "C3": 4}
    assert count("C1") == 2 and count("C3") == 4
    assert count("S1") == count("B1") == centers["C1"] + centers["C3"]
    assert count("HO") == sum(centers.values())
    from types import SimpleNamespace

    from wealthdesk.orgs.panels import units_below_panel

    panel = units_below_panel(SimpleNamespace(user=world.hq_service))
    assert {u.code: u.customer_count for u in panel["children"]} == {"B1": count("B1"), "B2": count("B2")}
