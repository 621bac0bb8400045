"""Least privilege in what the API admits exists: ``/api/v1/`` lists, for each persona, exactly the endpoints whose
list that persona may call. Every endpoint listed answers 200; every list endpoint left out answers 403 (before the
fix the root listed every endpoint to everyone: a client manager was shown head office's compliance monitor)."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wealthdesk.core.api import router
from wealthdesk.core.testing.world import PERSONAS

pytestmark = pytest.mark.django_db

# One persona of each kind of reach and duty (every persona takes minutes on a busy machine and adds nothing).
PEOPLE = [p for p in ("cm_c1_1", "head_c1", "teller_c1", "hq_service", "auditor",
                      "advisor_1") if p in PERSONAS]


def _client(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _list_urls() -> dict[str, str]:
    """Every registered endpoint that has a list route: prefix → its URL (the URLconf imports every app's API)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    return {prefix: f"/api/v1/{prefix}/" for prefix, viewset, _basename in router.registry
            if hasattr(viewset, "list")}


def test_the_root_lists_exactly_what_each_persona_may_list(world):
    every = _list_urls()
    assert len(every) > 40
    for name in PEOPLE:
        client = _client(world.users[name])
        answer = client.get("/api/v1/")
        assert answer.status_code in (200, 403), (name, answer.status_code)
        listed = set(answer.json()) if answer.status_code == 200 else set()
        for prefix, url in every.items():
            status = client.get(url).status_code
            if prefix in listed:
                assert status == 200, (name, url, status)
            else:
                assert status in (403, 404), (name, url, status)


def test_a_client_manager_is_not_shown_the_upper_levels_endpoints(world):
    listed = set(_client(world.users["cm_c1_1"]).get("/api/v1/").json())
    assert "customers" in listed
    assert not listed & {"compliance", "security/alerts"}
    assert len(listed) < len(_list_urls())
