"""R25 campaigns: the segment (saved customer filter) resolved within the center, the workflow, the call list
with its deterministic holdout, calls recorded as contact records (R27), and the feedback's uplift."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.campaigns import selectors, services
from wealthdesk.campaigns.choices import CampaignStatus
from wealthdesk.campaigns.models import Campaign, CampaignMember, Segment
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.corebanking.models import Holding, Product

from .factories import add_customers, balance, make_campaign, plan

pytestmark = pytest.mark.django_db


def _segment(world, **criteria):
    return Segment(center=world.c1, name="t", **criteria)


def test_segment_filters_tier_aum_risk_age_and_stays_in_the_center(world):
    add_customers(world, 4, tier="ordinary", aum="20000.00")
    seg = _segment(world, tiers=["core", "premium"], aum_min=Decimal("300000"))
    got = set(selectors.segment_customers(world.head_c1, seg).values_list("cif_no", flat=True))
    assert got == {"C000000001", "C000000002"}  # cust_b (C2) never, even for head office
    assert selectors.segment_customers(world.users["hq_service"], seg).filter(center=world.c2).count() == 0
    assert selectors.segment_size(world.head_c1, _segment(world, risk_levels=["C3"])) == 4
    assert selectors.segment_size(world.head_c1, _segment(world, age_min=40, age_max=55)) == 6  # born 1975/1980
    assert selectors.segment_size(world.head_c1, _segment(world, age_max=30)) == 0


def test_segment_product_held_maturity_and_last_contact(world):
    wmp = Product.objects.create(code="WMP1", name="稳健理财", kind="wmp")
    today = timezone.localdate()
    Holding.objects.create(customer=world.cust_a, product=wmp, account_no="A1", amount=Decimal("100000"),
                           start_date=today - dt.timedelta(days=300), maturity_date=today + dt.timedelta(days=10))
    held = _segment(world, product_kind="wmp", product_held="held")
    assert list(selectors.segment_customers(world.head_c1, held)) == [world.cust_a]
    not_held = _segment(world, product_kind="wmp", product_held="not_held")
    assert list(selectors.segment_customers(world.head_c1, not_held)) == [world.cust_a2]
    maturing = _segment(world, maturity_from=today, maturity_to=today + dt.timedelta(days=30))
    assert list(selectors.segment_customers(world.head_c1, maturing)) == [world.cust_a]
    ContactRecord.objects.create(customer=world.cust_a2, staff=world.cm_c1_2, kind="phone",
                                 contacted_at=timezone.now() - dt.timedelta(days=2))
    stale = _segment(world, last_contact_before=today - dt.timedelta(days=30))
    assert list(selectors.segment_customers(world.head_c1, stale)) == [world.cust_a]


def test_a_segment_matching_nobody_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=world.head_c1, plan=plan(), segment={"tiers": ["private"]})
    assert "没有匹配到任何客户" in str(exc.value.message_dict["segment"])
    assert Campaign.objects.count() == 0 and Segment.objects.count() == 0


def test_another_centers_customers_cannot_be_targeted(world):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=world.head_c1, plan=plan(), segment={}, center=world.c2)
    assert "只能为本理财中心" in exc.value.message_dict["center"][0]
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=world.users["branch1_service"], plan=plan(), segment={})
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=world.cm_c1_1, plan=plan(), segment={})
    assert Campaign.objects.count() == 0


def test_bad_plan_dates_and_bands_name_the_field(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=world.head_c1, plan=plan(ends_on=today - dt.timedelta(days=1)), segment={})
    assert "ends_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=world.head_c1, plan=plan(),
                                 segment={"aum_min": Decimal("9"), "aum_max": Decimal("1")})
    assert "aum_max" in exc.value.message_dict
    assert Campaign.objects.count() == 0


def test_workflow_submit_return_resubmit_approve_and_wrong_states(world):
    campaign = make_campaign(world)
    services.campaign_submit(actor=world.head_c1, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_return(actor=world.head_c1, campaign=campaign, reason="  ")
    services.campaign_return(actor=world.head_c1, campaign=campaign, reason="目标过低")
    assert campaign.status == CampaignStatus.RETURNED and campaign.return_reason == "目标过低"
    services.campaign_update(actor=world.users["lead_c1"], campaign=campaign, plan={"goal_reached": 30},
                             segment={}, version=campaign.version)
    services.campaign_submit(actor=world.users["lead_c1"], campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_approve(actor=world.users["lead_c1"], campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_approve(actor=world.head_c2, campaign=campaign)
    services.campaign_approve(actor=world.head_c1, campaign=campaign)
    with pytest.raises(ValidationError) as exc:
        services.campaign_approve(actor=world.head_c1, campaign=campaign)
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.campaign_update(actor=world.head_c1, campaign=campaign, plan={}, segment={})
    assert Campaign.objects.get().goal_reached == 30


def test_a_stale_edit_is_a_conflict(world):
    from wealthdesk.core.concurrency import Conflict

    campaign = make_campaign(world)
    with pytest.raises(Conflict):
        services.campaign_update(actor=world.head_c1, campaign=campaign, plan={"theme": "x"}, segment={},
                                 version=campaign.version + 5)


def test_start_builds_the_call_list_with_a_deterministic_recorded_holdout(world):
    add_customers(world, 38)
    campaign = make_campaign(world, status="running")
    members = CampaignMember.objects.filter(campaign=campaign)
    assert members.count() == 40
    held = set(members.filter(is_holdout=True).values_list("customer_id", flat=True))
    assert len(held) == 4 and campaign.holdout_share == Decimal("0.100") and campaign.holdout_seed
    assert held == services.draw_holdout(campaign.holdout_seed, list(members.values_list("customer_id", flat=True)),
                                         campaign.holdout_share)
    assert not members.exclude(client_manager_id__in=[world.cm_c1_1.pk, world.cm_c1_2.pk]).exists()
    mine = CampaignMember.objects.visible_to(world.cm_c1_1).filter(campaign=campaign)
    assert set(mine.values_list("client_manager_id", flat=True)) == {world.cm_c1_1.pk}


def test_a_call_is_a_contact_record_and_the_holdout_cannot_be_called(world):
    add_customers(world, 18)
    campaign = make_campaign(world, status="running")
    member = CampaignMember.objects.filter(campaign=campaign, client_manager=world.cm_c1_1, is_holdout=False).first()
    services.member_call(actor=world.cm_c1_1, member=member, outcome="interested", kind="phone", content="有意向")
    member.refresh_from_db()
    assert member.call_status == "interested" and member.contact.source == f"campaign:{campaign.pk}"
    assert member.contact.staff == world.cm_c1_1
    held = CampaignMember.objects.filter(campaign=campaign, is_holdout=True).first()
    with pytest.raises(ValidationError) as exc:
        services.member_call(actor=world.head_c1, member=held, outcome="contacted", kind="phone")
    assert "对照组" in str(exc.value)
    other = CampaignMember.objects.filter(campaign=campaign, client_manager=world.cm_c1_2, is_holdout=False).first()
    with pytest.raises(PermissionDenied):
        services.member_call(actor=world.cm_c1_1, member=other, outcome="contacted", kind="phone")
    with pytest.raises(ValidationError):
        services.member_call(actor=world.cm_c1_1, member=member, outcome="pending", kind="phone")


def test_invitation_then_attendance_on_the_event_day(world):
    today = timezone.localdate()
    campaign = make_campaign(world, status="running", event_on=today)
    member = CampaignMember.objects.filter(campaign=campaign, client_manager=world.cm_c1_1).first()
    with pytest.raises(ValidationError):
        services.member_invite(actor=world.cm_c1_1, member=member, invited=False, attended=True)
    services.member_invite(actor=world.cm_c1_1, member=member, invited=True, attended=True)
    member.refresh_from_db()
    assert member.invited and member.attended


def test_holdout_uplift_on_a_hand_computed_fixture(world):
    """20 customers, 2 held out. 18 contacted: 9 buy a WMP in the window and gain 100,000 each; of the holdout, 1
    buys and gains 50,000, the other gains nothing. Rates 0.5 vs 0.5 → 0 points; per-customer AUM gain 50,000 vs
    25,000 → uplift 25,000 × 18 = 450,000."""
    add_customers(world, 18, aum="100000.00")
    world.cust_a.aum = world.cust_a2.aum = Decimal("100000.00")
    world.cust_a.save(update_fields=["aum"])
    world.cust_a2.save(update_fields=["aum"])
    campaign = make_campaign(world, status="running")
    wmp = Product.objects.create(code="WMP9", name="稳健", kind="wmp")
    today = timezone.localdate()
    targeted = list(CampaignMember.objects.filter(campaign=campaign, is_holdout=False).order_by("id"))
    holdout = list(CampaignMember.objects.filter(campaign=campaign, is_holdout=True).order_by("id"))
    assert len(targeted) == 18 and len(holdout) == 2
    buyers = targeted[:9] + holdout[:1]
    for i, m in enumerate(buyers):
        Holding.objects.create(customer_id=m.customer_id, product=wmp, account_no=f"AC{i}", amount=Decimal("1"),
                               start_date=today)
    for m in targeted:
        gain = Decimal("100000") if m in targeted[:9] else Decimal("0")
        balance(m.customer_id, today, m.aum_at_start + gain)
    balance(holdout[0].customer_id, today, "150000")
    balance(holdout[1].customer_id, today, "100000")
    for m in targeted[:5]:
        services.member_call(actor=m.client_manager, member=m, outcome="contacted", kind="phone")
    services.campaign_end(actor=world.head_c1, campaign=campaign)
    services.campaign_feedback(actor=world.head_c1, campaign=campaign, spent="4200.50", staffing_note="2人",
                               lessons="早联系")
    r = Campaign.objects.get(pk=campaign.pk).results
    assert r["contacts"] == 5 and r["reached"] == 5
    assert r["targeted"]["conversions"] == 9 and r["targeted"]["conversion_rate"] == 0.5
    assert r["holdout"]["conversions"] == 1 and r["holdout"]["conversion_rate"] == 0.5
    assert r["uplift"]["conversion_points"] == 0.0
    assert r["targeted"]["aum_gain"] == 900000.0 and r["holdout"]["aum_gain"] == 50000.0
    assert r["uplift"]["aum"] == 450000.0
    assert r["spent"] == 4200.5 and r["budget"] == 5000.0
    assert CampaignMember.objects.filter(campaign=campaign, converted=True).count() == 10
    services.campaign_evaluate(actor=world.head_c1, campaign=campaign, grade="good", evaluation="资产提升明显")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.EVALUATED


def test_feedback_needs_the_end_and_a_valid_amount(world):
    campaign = make_campaign(world, status="running")
    with pytest.raises(ValidationError):
        services.campaign_feedback(actor=world.head_c1, campaign=campaign, spent="100")
    services.campaign_end(actor=world.head_c1, campaign=campaign)
    for bad in ("", "-1", "abc"):
        with pytest.raises(ValidationError) as exc:
            services.campaign_feedback(actor=world.head_c1, campaign=campaign, spent=bad)
        assert "spent" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.campaign_evaluate(actor=world.head_c1, campaign=campaign, grade="good", evaluation="好")
    assert Campaign.objects.get(pk=campaign.pk).feedback_at is None


def test_yearly_quota_figure_and_compliance_measure(world):
    today = timezone.localdate()
    for i in range(4):
        make_campaign(world, status="approved", theme=f"小型{i}")
    make_campaign(world, status="approved", scale="large", theme="大型")
    make_campaign(world, theme="草稿不计")
    q = selectors.center_quota(world.c1.pk, today)
    assert (q["small"], q["small_target"], q["large"], q["large_target"]) == (4, 6, 1, 2)
    assert q["months_left"] == 12 - today.month and q["short"] == 3
    m = selectors.compliance_quota([world.c1.pk, world.c2.pk], today)
    assert m[world.c1.pk]["due"] == 8 and m[world.c1.pk]["done"] == 5
    assert m[world.c2.pk]["done"] == 0
    assert m[world.c2.pk]["overdue"] == (6 * (today.month - 1)) // 12 + (2 * (today.month - 1)) // 12
    board = selectors.quota_board(world.users["branch1_service"], world.branch1, today)
    assert board["rows"][0]["figures"]["small"] == 4 and board["rows"][0]["figures"]["short_small"] == 1


def test_the_registered_compliance_measure_and_metrics(world):
    from wealthdesk.core.registry import compliance_measures, metrics

    assert "campaigns.yearly" in {m.key for m in compliance_measures()}
    campaign = make_campaign(world, status="running")
    member = CampaignMember.objects.filter(campaign=campaign, client_manager=world.cm_c1_1).first()
    services.member_call(actor=world.cm_c1_1, member=member, outcome="contacted", kind="phone")
    today = timezone.localdate()
    assert metrics()["campaign_contacts"].compute([world.cm_c1_1.pk, world.cm_c1_2.pk], today, today) == {
        world.cm_c1_1.pk: 1}
    CampaignMember.objects.filter(pk=member.pk).update(converted=True)
    Campaign.objects.filter(pk=campaign.pk).update(feedback_at=timezone.now())
    assert metrics()["campaign_conversions"].compute([world.cm_c1_1.pk], today, today) == {world.cm_c1_1.pk: 1}
