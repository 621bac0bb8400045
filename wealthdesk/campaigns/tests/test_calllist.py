"""The call list built set-based in the database (issue 16) equals what the start built in Python before: the
same customers, managers and AUM, and the same seeded holdout (``draw_holdout``); and the work is a fixed number of
statements, whatever the number of customers."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.campaigns import calllist, selectors, services
from wealthdesk.campaigns.models import CampaignMember

from .factories import add_customers, make_campaign

pytestmark = pytest.mark.django_db


def old_call_list(actor, campaign, share):
    """The start's former Python path: every row materialised, the holdout drawn by ``draw_holdout``."""
    customers = list(selectors.segment_customers(actor, campaign.segment).values_list("pk", "client_manager_id", "aum"))
    held = services.draw_holdout(f"campaign-{campaign.pk}-{campaign.segment_id}", [c[0] for c in customers], share)
    return {(cid, cm, Decimal(aum or 0), cid in held) for cid, cm, aum in customers}


@pytest.mark.parametrize("extra", [0, 37, 123])
def test_the_set_based_call_list_equals_the_old_one(world, extra):
    add_customers(world, extra)
    campaign = make_campaign(world, status="approved", segment={"name": "C1 全部"})
    expected = old_call_list(world.head_c1, campaign, Decimal("0.100"))
    services.campaign_start(actor=world.head_c1, campaign=campaign)
    got = {(m.customer_id, m.client_manager_id, m.aum_at_start, m.is_holdout)
           for m in CampaignMember.objects.filter(campaign=campaign)}
    assert got == expected
    assert sum(1 for row in got if row[3]) == calllist.holdout_size(len(expected), Decimal("0.100"))


def test_the_start_runs_the_same_statements_for_ten_or_two_hundred_customers(world):
    counts = []
    for n in (5, 8, 200):  # the first warms the parameter cache
        add_customers(world, n, prefix=f"Q{n}_")
        campaign = make_campaign(world, status="approved", segment={"name": f"C1 {n}"})
        with CaptureQueriesContext(connection) as ctx:
            services.campaign_start(actor=world.head_c1, campaign=campaign)
        counts.append(len(ctx))
    assert counts[1] == counts[2], counts


@pytest.mark.django_db(transaction=True)
def test_a_large_start_runs_as_a_background_job_with_progress(world, login_as, monkeypatch, settings):
    from wealthdesk.campaigns.models import Campaign
    from wealthdesk.core.params import set_param
    from wealthdesk.jobs.models import BackgroundJob
    from wealthdesk.jobs.services import execute

    settings.CELERY_BROKER_URL = "memory://"
    monkeypatch.setattr("wealthdesk.jobs.services.send", lambda job_id: execute(job_id))  # the worker, here
    set_param("campaign.start_background_min", 10)
    add_customers(world, 30)
    campaign = make_campaign(world, status="approved", segment={"name": "C1 全部"})
    response = login_as("head_c1").post(f"/campaigns/{campaign.pk}/do/start/", {"version": campaign.version})
    job = BackgroundJob.objects.get(kind="campaigns.start")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.status == "done" and job.result["members"] == 32 and job.result["holdout"] == 3
    assert Campaign.objects.get(pk=campaign.pk).status == "running"
    page = login_as("head_c1").get(f"/jobs/{job.pk}/").content.decode()
    assert f"/campaigns/{campaign.pk}/" in page  # the result link
    execute(job.pk)  # a second delivery does nothing twice
    assert CampaignMember.objects.filter(campaign=campaign).count() == 32
