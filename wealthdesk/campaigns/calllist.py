"""The call list of a starting campaign, built set-based in the database (issue 16): one ``INSERT … SELECT`` of
the segment's customers (the same query the plan counts, ``selectors.segment_customers``), then one ``UPDATE``
that sets the holdout aside in the recorded seeded order — SHA-256 of ``"{seed}:{customer id}"`` computed by the
database, the same order as ``services.holdout_rank`` — so a million customers never pass through Python."""
from __future__ import annotations

import hashlib
from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import CampaignMember

MEMBERS = CampaignMember._meta.db_table


def _rank_sql() -> str:
    """SQL of the seeded order of one member row (``%s`` is the seed)."""
    if connection.vendor == "postgresql":
        return "encode(sha256(convert_to(%s || ':' || customer_id::text, 'UTF8')), 'hex')"
    connection.ensure_connection()  # SQLite (tests, demo): the same digest from Python, registered on the connection
    connection.connection.create_function("wd_sha256_hex", 1, lambda text: hashlib.sha256(
        str(text).encode()).hexdigest(), deterministic=True)
    return "wd_sha256_hex(%s || ':' || customer_id)"


def insert_members(*, campaign, customers, actor) -> int:
    """Every customer of ``customers`` (a queryset) becomes a pending call-list row of ``campaign``, assigned to
    its own client manager, with its AUM now. Returns the number of rows."""
    sql, params = customers.values(m_customer=F("pk"), m_manager=F("client_manager_id"), m_aum=F("aum")).order_by(
    ).query.sql_with_params()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {MEMBERS} (campaign_id, customer_id, client_manager_id, aum_at_start, is_holdout,
                    call_status, invited, attended, converted, created_by_id, created_at, updated_at)
                SELECT %s, s.m_customer, s.m_manager, COALESCE(s.m_aum, 0), %s, %s, %s, %s, %s, %s, %s, %s
                FROM ({sql}) s""",
            [campaign.pk, False, "pending", False, False, False, getattr(actor, "pk", None), now, now, *params])
        return cursor.rowcount


def holdout_size(members: int, share: Decimal) -> int:
    """round(share × n), as ``services.draw_holdout`` draws it."""
    return int((Decimal(members) * share).quantize(Decimal("1")))


def set_holdout(*, campaign, seed: str, size: int) -> int:
    """Mark the first ``size`` members in the seeded order as the holdout. Returns the number marked."""
    if size <= 0:
        return 0
    rank = _rank_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {MEMBERS} SET is_holdout = %s WHERE id IN (
                    SELECT id FROM {MEMBERS} WHERE campaign_id = %s ORDER BY {rank} LIMIT %s)""",
            [True, campaign.pk, seed, size])
        return cursor.rowcount


def called_managers(campaign) -> list[int]:
    """The client managers who have someone to call (not the holdout)."""
    return sorted(CampaignMember.objects.filter(campaign=campaign, is_holdout=False, client_manager__isnull=False)
                  .values_list("client_manager_id", flat=True).distinct().order_by())
