"""The customer search by name and by the mobile's last digits is indexed on PostgreSQL (issues 16 and 15).

The name search is ``LIKE '%…%'``, which a btree cannot answer; a GIN ``gin_trgm_ops`` index can (SQLite has no
such index: the migration skips it). The mobile is encrypted (issue 15): its last four digits are the indexed
``mobile_tail`` (an equality), the full mobile the indexed blind index ``mobile_bidx``; the former trigram index
on the mobile is gone (it could not search ciphertext)."""
import pytest
from django.db import connection

from wealthdesk.customers.models import Customer
from wealthdesk.customers.selectors import customer_list

pytestmark = pytest.mark.django_db


def test_the_list_search_is_a_like_on_the_name_and_an_equality_on_the_mobiles_tail(world):
    by_name = str(customer_list(world.head_c1, q="张").query)
    by_tail = str(customer_list(world.head_c1, q="1234").query)
    assert '"NAME"::TEXT LIKE' in by_name.upper() or '"NAME" LIKE' in by_name.upper()
    assert '"MOBILE_TAIL" = ' in by_tail.upper() and '"MOBILE" ' not in by_tail.upper()
    assert [c.cif_no for c in customer_list(world.head_c1, q="1234")] == ["C000000001"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_the_name_has_a_trigram_index_and_the_mobile_tail_and_blind_index_btrees_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [Customer._meta.db_table])
        defs = dict(cursor.fetchall())
    assert "gin (name gin_trgm_ops)" in defs.get("customer_name_trgm_idx", "")
    assert "customer_mobile_trgm_idx" not in defs
    assert any("(mobile_tail)" in d for d in defs.values()) and any("(mobile_bidx)" in d for d in defs.values())
    assert any("UNIQUE" in d and "(id_type, id_number_bidx)" in d for d in defs.values())
