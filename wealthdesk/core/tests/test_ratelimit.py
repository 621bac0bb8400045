"""One rate-limit helper for every limit, atomic and shared between workers (the database, or Redis when
configured): 20 concurrent opinion posts against a limit of 5 store exactly 5."""
import threading

import pytest
from django.db import connection, connections

from wealthdesk.core import ratelimit


@pytest.mark.django_db
def test_the_helper_counts_and_refuses_past_the_limit():
    assert [ratelimit.hit("t", "a", limit=3, window=60) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit("t", "b", limit=3, window=60)  # another key counts on its own
    assert ratelimit.peek("t", "a", window=60) == 5


@pytest.mark.django_db
def test_the_counter_lives_in_the_database_not_in_one_worker(settings):
    from django.core.cache import cache

    from wealthdesk.core.models import RateCounter

    ratelimit.hit("t", "shared", limit=3, window=60)
    cache.clear()  # what another worker's locmem cache would look like: the count survives
    assert RateCounter.objects.get(key__contains=":shared:").count == 1


@pytest.mark.django_db
def test_the_opinion_book_refuses_the_sixth_post_from_one_address(world):
    from django.core.exceptions import ValidationError

    from wealthdesk.voice.models import Opinion
    from wealthdesk.voice.services.opinions import opinion_post

    for i in range(5):
        opinion_post(unit=world.c1, content=f"服务很好，谢谢{i}", ip="10.0.0.1")
    with pytest.raises(ValidationError):
        opinion_post(unit=world.c1, content="服务很好，谢谢", ip="10.0.0.1")
    opinion_post(unit=world.c1, content="服务很好，谢谢", ip="10.0.0.2")
    assert Opinion.objects.count() == 6


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_store_exactly_the_limit(world):
    from django.core.exceptions import ValidationError

    from wealthdesk.voice.models import Opinion
    from wealthdesk.voice.services.opinions import opinion_post

    barrier = threading.Barrier(20)
    outcomes = []

    def post(i):
        try:
            barrier.wait()
            opinion_post(unit=world.c1, content=f"并发留言第{i}条", ip="10.0.0.9")
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 5 and outcomes.count("refused") == 15
    assert Opinion.objects.count() == 5
    assert connection.vendor == "postgresql"
