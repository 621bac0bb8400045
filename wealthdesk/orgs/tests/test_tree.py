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
