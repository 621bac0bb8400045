"""R15: an upper-level meeting pulls agenda items from the reports submitted to its unit (through the agenda
source the reports app registers in core.registry), linked back to the report, masked; bad picks refused."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from playwright.sync_api import expect

from wealthdesk.core.submission import submission_submit
from wealthdesk.core.testing.browser import login, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.meetings import agenda
from wealthdesk.meetings.models import AgendaLink, Meeting
from wealthdesk.reports import services as report_services
from wealthdesk.reports.tests.helpers import center_report

from .factories import sub_meeting, team_meeting

ISSUES = "客户张伟（13812341234）反映理财产品额度不足"


def _submitted(world, who="head_c1"):
    report = center_report(world, who=who)
    report = report_services.report_update(actor=world.users[who], report=report, version=report.version,
                                           body={"summary": "运营平稳。", "issues": ISSUES})
    submission_submit(actor=world.users[who], report=report)
    report.refresh_from_db()
    return report


@pytest.mark.django_db
def test_subbranch_meeting_pulls_a_submitted_report(world):
    report = _submitted(world)
    m = sub_meeting(world, timezone.localdate())
    offered = agenda.sources_for(world.subbranch1_service, m)
    assert [(s["key"], [c.object_id for c in s["items"]]) for s in offered] == [("report", [report.pk])]
    link = agenda.meeting_pull_item(actor=world.subbranch1_service, meeting=m, source="report", object_id=report.pk)
    m.refresh_from_db()
    assert link.url == f"/reports/{report.pk}/" and "朝阳理财中心" in link.title
    assert "额度不足" in m.agenda and "13812341234" not in m.agenda and "张伟" not in m.agenda
    assert m.version == 2 and agenda.sources_for(world.subbranch1_service, m) == []
    with pytest.raises(ValidationError, match="已在议程中"):
        agenda.meeting_pull_item(actor=world.subbranch1_service, meeting=m, source="report", object_id=report.pk)


@pytest.mark.django_db
def test_bad_picks_are_refused_and_nothing_changes(world):
    draft = center_report(world)
    other = _submitted(world, who="head_c2")  # submitted to the other sub-branch: out of scope
    m = sub_meeting(world, timezone.localdate())
    for pk in (draft.pk, other.pk, "x", 0):
        with pytest.raises(ValidationError, match="不能列入议程|请选择"):
            agenda.meeting_pull_item(actor=world.subbranch1_service, meeting=m, source="report", object_id=pk)
    with pytest.raises(ValidationError, match="议题来源无效"):
        agenda.meeting_pull_item(actor=world.subbranch1_service, meeting=m, source="nope", object_id=draft.pk)
    team = team_meeting(world)
    with pytest.raises(ValidationError, match="只有支行、分行的例会"):
        agenda.meeting_pull_item(actor=world.lead_c1, meeting=team, source="report", object_id=draft.pk)
    assert not AgendaLink.objects.exists() and Meeting.objects.get(pk=m.pk).version == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_pull_a_report_onto_the_agenda_and_a_bad_pick(page, world):
    report = _submitted(world)
    other = _submitted(world, who="head_c2")
    m = sub_meeting(world, timezone.localdate())
    login(page, "subbranch1_service", PASSWORD)
    page.goto(f"/meetings/{m.pk}/")
    candidates = page.locator("[data-testid=candidate-report]")
    expect(candidates).to_contain_text("朝阳理财中心")
    candidates.locator("button").first.click()
    expect(page.locator(".alert-success")).to_contain_text("已加入议程")
    expect(page.locator("[data-testid=agenda-links] a")).to_have_attribute("href", f"/reports/{report.pk}/")
    expect(page.locator("[data-testid=minutes]")).to_contain_text("额度不足")
    screenshot(page, "meetings-agenda-report")
    # A tampered pick (another sub-branch's report) answers with a message and changes nothing.
    page.goto(f"/meetings/{m.pk}/")
    page.evaluate("""(pk) => {
        const f = document.createElement('form'); f.method = 'post';
        const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
        for (const [k, v] of [['csrfmiddlewaretoken', token], ['action', 'agenda_source'], ['source', 'report'],
                              ['object_id', pk]]) {
            const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
        }
        document.body.appendChild(f); f.submit();
    }""", str(other.pk))
    expect(page.locator(".alert-danger")).to_contain_text("不能列入议程")
    assert AgendaLink.objects.count() == 1
