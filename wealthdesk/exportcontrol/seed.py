"""Demo export requests of the first center's client manager (issue 15): one waiting for the head, one approved
and ready to download once, one downloaded, one refused with the head's comment. Their URL is the real contact
records export, so the approved one downloads a real (masked, watermarked) file."""
import datetime as dt

from django.utils import timezone

from wealthdesk.core.seeding import SeedContext
from wealthdesk.staff.models import User

from .choices import RequestStatus
from .models import ExportRequest

URL = "/contacts/export/"


def seed(ctx: SeedContext) -> None:
    if ExportRequest.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["cm_c1_1", "head_c1"]).select_related("unit")}
    cm, head = users.get("cm_c1_1"), users.get("head_c1")
    if cm is None or head is None or not cm.unit_id:
        return
    now = timezone.make_aware(dt.datetime.combine(ctx.today, dt.time(9, 30)))
    later = timezone.now() + dt.timedelta(hours=24)

    def make(status, *, days, reason, comment="", kind=""):
        at = now - dt.timedelta(days=days)
        decided = at + dt.timedelta(hours=1) if status != RequestStatus.PENDING else None
        return ExportRequest(
            requester=cm, unit_id=cm.unit_id, title="会面/电话/邮寄客户维护记录表", url=URL + (f"?kind={kind}" if kind else ""),
            filters={"kind": kind} if kind else {}, rows=ctx.rng.randint(60, 180), reason=reason, status=status,
            requested_at=at, decided_by=head if decided else None, decided_at=decided, comment=comment,
            download_until=(later if status == RequestStatus.APPROVED else decided + dt.timedelta(hours=24))
            if status in (RequestStatus.APPROVED, RequestStatus.DOWNLOADED) else None,
            downloaded_at=decided + dt.timedelta(hours=2) if status == RequestStatus.DOWNLOADED else None)

    ExportRequest.objects.bulk_create([
        make(RequestStatus.PENDING, days=0, reason="月末到期客户集中电话回访名单", kind="phone"),
        make(RequestStatus.APPROVED, days=0, reason="理财沙龙邀约前核对近三月联系记录", comment="同意，注意保密"),
        make(RequestStatus.DOWNLOADED, days=7, reason="季度客户维护情况自查", comment="同意"),
        make(RequestStatus.REFUSED, days=14, reason="备份全部联系记录", comment="范围过大，请按联系方式筛选后再申请"),
    ])
    ctx.log("exportcontrol: 4 export requests")
