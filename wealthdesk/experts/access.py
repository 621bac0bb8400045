"""R4: an advisor's access ends on the engagement's end date and at once when revoked (``core.access`` enforces
it at authentication for pages and API tokens, on every request)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.scoping import scope_for

from .models import POOL_ROLES, PoolMember


def engagement_refusal(user) -> str | None:
    """The reason a pool member may not sign in any more, or ``None``. Staff outside the pool: no query."""
    if not scope_for(user).has(*POOL_ROLES):
        return None
    row = PoolMember.objects.filter(user_id=user.pk).values("revoked_at", "engagement_ends_on").first()
    if row is None:
        return None
    if row["revoked_at"] is not None:
        return _("您的专家库访问权限已被撤销，如有疑问请联系总行个金部客户服务处。")
    ends = row["engagement_ends_on"]
    if ends is not None and ends < timezone.localdate():
        return _("您的聘用已于 %(day)s 结束，访问权限随之终止。") % {"day": ends.isoformat()}
    return None
