"""The VIP bulletin 《理财金账户贵宾专刊》 (R40: head office's VIP bulletin).

Head office writes an issue with its articles, then publishes it to chosen customer tiers and units (a unit means
its whole subtree). A client manager sees the issues sent to their center and marks, from their own list of the
chosen tiers (names masked), which customers received one; head office sees the reach per unit rolled up.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import lock
from wealthdesk.core.rollup import rollup_children
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.choices import PREMIUM_TIERS, Tier
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit

from .choices import IssueStatus
from .models import BULLETIN_EDITORS, BulletinArticle, BulletinIssue, BulletinReceipt

MARKERS = frozenset({"client_manager"})


def _require_editor(actor) -> None:
    if not scope_for(actor).has(*BULLETIN_EDITORS):
        raise PermissionDenied(_("只有总行个金部客户服务处可以编辑专刊。"))


@transaction.atomic
def issue_create(*, actor, issue_no: str, title: str, articles: list[tuple[str, str]]) -> BulletinIssue:
    """Head office drafts an issue with its articles ((title, body) pairs, at least one)."""
    _require_editor(actor)
    errors = {}
    if not (issue_no or "").strip():
        errors["issue_no"] = [_("请填写期号。")]
    elif BulletinIssue.objects.filter(issue_no=issue_no.strip()).exists():
        errors["issue_no"] = [_("该期号已存在。")]
    if not (title or "").strip():
        errors["title"] = [_("请填写标题。")]
    articles = [(t.strip(), (b or "").strip()) for t, b in articles if (t or "").strip() or (b or "").strip()]
    if not articles:
        errors["articles"] = [_("每期至少一篇文章。")]
    elif any(not t or not b for t, b in articles):
        errors["articles"] = [_("每篇文章都要有标题和正文。")]
    if errors:
        raise ValidationError(errors)
    issue = BulletinIssue(issue_no=issue_no.strip(), title=title.strip(), created_by=actor)
    issue.full_clean()
    issue.save()
    for position, (t, b) in enumerate(articles, start=1):
        article = BulletinArticle(issue=issue, position=position, title=t, body=b, created_by=actor)
        article.full_clean()
        article.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=issue, detail={"articles": len(articles)})
    return issue


@transaction.atomic
def issue_publish(*, actor, issue: BulletinIssue, tiers: list[str], units: list[OrgUnit]) -> BulletinIssue:
    """Publish a draft issue to the chosen premium tiers and units (each unit with its subtree)."""
    _require_editor(actor)
    locked = lock(issue)
    errors = {}
    if locked.status != IssueStatus.DRAFT:
        errors["status"] = [_("该期专刊已发布。")]
    tiers = list(dict.fromkeys(tiers or []))
    if not tiers:
        errors["tiers"] = [_("请至少选择一个客户级别。")]
    elif any(t not in PREMIUM_TIERS for t in tiers):
        errors["tiers"] = [_("只能发送给优质客户级别。")]
    if not units:
        errors["units"] = [_("请至少选择一个发送机构。")]
    if errors:
        raise ValidationError(errors)
    locked.tiers = tiers
    locked.status = IssueStatus.PUBLISHED
    locked.published_on = timezone.localdate()
    locked.published_by = actor
    locked.full_clean()
    locked.save()
    locked.units.set(units)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked,
                 detail={"publish": True, "tiers": tiers, "units": [u.pk for u in units]})
    return locked


def _unit_q(issue: BulletinIssue, field: str = "center") -> Q:
    q = Q(pk__in=[])
    for path in issue.units.values_list("path", flat=True):
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def eligible_customers(user, issue: BulletinIssue):
    """The user's customers the issue was sent to (their tier and unit), in their scope."""
    if issue.status != IssueStatus.PUBLISHED:
        return Customer.objects.none()
    return Customer.objects.visible_to(user).filter(_unit_q(issue), tier__in=issue.tiers)


@transaction.atomic
def receipts_mark(*, actor, issue: BulletinIssue, customer_ids: list[int]) -> int:
    """A client manager records that these of their customers received the issue; returns how many were new.
    Every id must be one of their eligible customers, else nothing is recorded."""
    if not scope_for(actor).has(*MARKERS):
        raise PermissionDenied(_("只有客户经理可以登记专刊送达。"))
    ids = {int(i) for i in customer_ids if str(i).isdigit()}
    if not ids or len(ids) != len(customer_ids):
        raise ValidationError({"customers": [_("请勾选收到专刊的客户。")]})
    mine = dict(eligible_customers(actor, issue).filter(pk__in=ids).values_list("pk", "center_id"))
    if len(mine) != len(ids):
        raise ValidationError({"customers": [_("只能登记本人名下、属于本期发送范围的客户。")]})
    done = set(BulletinReceipt.objects.filter(issue=issue, customer_id__in=ids).values_list("customer_id", flat=True))
    rows = [BulletinReceipt(issue=issue, customer_id=cid, center_id=mine[cid], marked_by=actor, created_by=actor)
            for cid in sorted(ids - done)]
    BulletinReceipt.objects.bulk_create(rows, ignore_conflicts=True)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=issue,
                 detail={"receipts": [r.customer_id for r in rows]})
    return len(rows)


def reach_rows(user, issue: BulletinIssue, root: OrgUnit) -> list[dict]:
    """Per child unit of ``root``: customers the issue was sent to, customers who received it (rolled up)."""
    base = Customer.objects.visible_to(user).filter(_unit_q(issue), tier__in=issue.tiers or [Tier.PRIVATE])
    per: dict[int, dict[str, float]] = {}
    for center_id, n in base.values_list("center_id").annotate(n=Count("id")).order_by():
        per.setdefault(center_id, {"eligible": 0, "received": 0})["eligible"] = n
    got = (BulletinReceipt.objects.visible_to(user).filter(issue=issue).values_list("center_id")
           .annotate(n=Count("id")).order_by())
    for center_id, n in got:
        per.setdefault(center_id, {"eligible": 0, "received": 0})["received"] = n
    rows = rollup_children(root, per)
    for row in rows:
        f = row["figures"]
        f.setdefault("eligible", 0)
        f.setdefault("received", 0)
        row["share"] = (f["received"] / f["eligible"]) if f["eligible"] else None
    return rows
