"""Per-request memoisation (issue 16): a figure several panels of one page need is computed once per request.

The home page, the team page and the workbench render panels contributed by many apps (``core.registry``); each
panel used to recompute what its neighbours had just computed — the user's unit, the supervised managers, the
centers' client-manager counts, the same metric for the same people and days. ``memo(key, compute)`` returns the
value computed earlier in the same request for the same key, else ``compute()`` (and keeps it).

The memo lives for one request only, never across requests (data changes between them): the middleware opens it
around a read-only request (GET, HEAD) and drops it at the end; outside a request (jobs, shell, tests calling a
selector directly) or in a request that writes, nothing is kept and every call computes. The key must hold
everything the value depends on (the user's id where the value is the user's, the ids, the dates).

    with request_memo():          # core.middleware.RequestContextMiddleware
        ...
        memo(("unit", user.unit_id), lambda: OrgUnit.objects.get(pk=user.unit_id))
"""
from __future__ import annotations

import contextvars
import copy
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_MEMO: contextvars.ContextVar[dict | None] = contextvars.ContextVar("wd_request_memo", default=None)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def request_memo(active: bool = True) -> Iterator[dict | None]:
    """Open a fresh memo for the block (``active=False``: none — every call computes); the previous state is
    restored when the block ends, so nothing outlives it."""
    token = _MEMO.set({} if active else None)
    try:
        yield _MEMO.get()
    finally:
        _MEMO.reset(token)


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per request and key (every time when no memo is open)."""
    store = _MEMO.get()
    if store is None:
        return compute()
    try:
        value = store[key]
    except KeyError:
        value = store[key] = compute()
    except TypeError:  # an unhashable key: compute, never fail the page
        return compute()
    # a caller that changes what it got (adds to a dict) must not change what the next caller gets
    return copy.copy(value) if isinstance(value, dict | list | set) else value


def memo_active() -> bool:
    return _MEMO.get() is not None


def ids_key(ids) -> tuple:
    """A hashable, order-free key for a collection of ids."""
    return tuple(sorted(set(ids)))
