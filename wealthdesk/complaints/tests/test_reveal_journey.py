"""Browser journey (R28): the center head opens a complaint, sees the complainant's contact masked and reveals
it with a reason (the clear value appears, audited). The refusal without a reason (400) is tested in
test_pages; showing 4xx fragments in the page is the base template's htmx set-up (DESIGN rule 12)."""
import pytest

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.browser import login
from wealthdesk.core.testing.world import PASSWORD

from .helpers import c1_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_reveals_the_complainants_contact_with_a_reason(page, world):
    complaint = c1_complaint(world)
    login(page, "head_c1", PASSWORD)
    page.goto(f"/complaints/{complaint.pk}/")
    assert page.inner_text("[data-testid=contact]") == "138****1234"
    assert "13812341234" not in page.content()
    form = page.locator("[data-reveal=contact]")
    form.locator("input[name=reason]").fill("回电客户")
    form.locator("button").click()
    page.wait_for_selector("[data-revealed=contact]")
    assert page.inner_text("[data-testid=contact]") == "13812341234"
    row = AuditLog.objects.get(action=AuditAction.REVEAL, object_id=str(complaint.pk))
    assert row.actor_name == "head_c1" and row.detail == {"field": "contact", "reason": "回电客户"}
