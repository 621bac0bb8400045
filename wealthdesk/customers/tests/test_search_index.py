"""The customer search by name and by the mobile's last digits has trigram indexes on PostgreSQL (issue 16).

The search is ``LIKE '%…%'`` (name) and ``LIKE '%1234'`` (mobile tail), which a btree cannot answer; a GIN
``gin_trgm_ops`` index can. SQLite has no such index (the migration skips it) and searches the same way."""
import pytest
from django.db import connection

from wealthdesk.customers.models import Customer
from wealthdesk.customers.selectors import customer_list

pytestmark = pytest.mark.django_db


def test_the_list_search_is_a_like_the_trigram_index_can_answer(world):
    by_name = str(customer_list(world.head_c1, q="张").query)
    by_tail = str(customer_list(world.head_c1, q="1234").query)
    assert '"NAME"::TEXT LIKE' in by_name.upper() or '"NAME" LIKE' in by_name.upper()
    assert "MOBILE" in by_tail.upper() and "LIKE" in by_tail.upper()
    assert [c.cif_no for c in customer_list(world.head_c1, q="1234")] == ["C000000001"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_name_and_mobile_have_gin_trigram_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [Customer._meta.db_table])
        defs = dict(cursor.fetchall())
    assert "gin (name gin_trgm_ops)" in defs.get("customer_name_trgm_idx", "")
    assert "gin (mobile gin_trgm_ops)" in defs.get("customer_mobile_trgm_idx", "")
