"""R28 in the API: staff who have not accepted the current confidentiality agreement get no customer data from
any endpoint. The routes are walked from the URL resolver, so a new endpoint is covered the day it is added."""
from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wealthdesk.core.permissions import AgreementGate
from wealthdesk.core.roles import Role
from wealthdesk.staff.models import StaffRole, User

# Endpoints that hold no customer data at all and are open before signing in.
OPEN_ROUTES = {"api-token", "api-schema", "api-docs"}


def _api_routes():
    """(route name, path with sample arguments, view class, http methods) for every /api/ URL."""
    routes = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                full = prefix + str(p.pattern)
                if not full.startswith(("api/", "^api/")):
                    continue
                cls = getattr(p.callback, "cls", None)
                if cls is None or "format" in p.pattern.regex.groupindex:  # .json twins of the same view
                    continue
                actions = getattr(p.callback, "actions", None)
                methods = sorted(actions) if actions else [m for m in ("get", "post", "put", "patch", "delete")
                                                           if hasattr(cls, m)]
                routes.append((p.name, _sample_path(full), cls, methods))

    walk(get_resolver().url_patterns, "")
    return routes


def _sample_path(pattern: str) -> str:
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


@pytest.fixture
def unsigned_cm(world):
    user = User.objects.create(username="cm_c2_2", full_name="cm_c2_2", unit=world.c2)
    StaffRole.objects.create(user=user, role=Role.CLIENT_MANAGER)
    return user


def test_every_api_route_is_found():
    names = {name for name, *_ in _api_routes()}
    assert {"referral-list", "customer-list", "api-token"} <= names
    assert len(names) > 20


def test_every_api_view_carries_the_agreement_gate():
    """A view that names its own permission classes must still include the gate (HasRole and
    CustomerDataPermission extend it)."""
    missing = []
    for name, _path, cls, _methods in _api_routes():
        if name in OPEN_ROUTES or getattr(cls, "agreement_exempt", False):
            continue
        if not any(issubclass(p, AgreementGate) for p in cls.permission_classes):
            missing.append(f"{name} ({cls.__name__})")
    assert not missing, missing


@pytest.mark.django_db
def test_unsigned_client_manager_gets_no_customer_data_from_any_endpoint(world, unsigned_cm):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token, _ = Token.objects.get_or_create(user=unsigned_cm)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    secrets = [c.name for c in world.customers.values()] + [c.cif_no for c in world.customers.values()]
    checked = 0
    for name, path, _cls, methods in _api_routes():
        for method in methods:
            response = getattr(client, method)(path, {} if method == "get" else {}, format="json")
            body = response.content.decode("utf-8", "replace")
            assert not any(s in body for s in secrets), f"{method.upper()} {path}: customer data"
            if name in OPEN_ROUTES:
                continue
            assert response.status_code == 403, f"{method.upper()} {path}: {response.status_code}"
            if method == "head":  # a HEAD answer has no body; its status is the proof
                checked += 1
                continue
            assert body.startswith("{"), f"{method.upper()} {path}: not JSON: {body[:200]!r} {dict(response.items())}"
            assert "保密协议" in json.loads(body)["detail"], f"{method.upper()} {path}: {body[:200]}"
            checked += 1
    assert checked > 30


@pytest.mark.django_db
def test_referrals_api_gate_holds_and_opens_after_signing(world, unsigned_cm):
    from wealthdesk.staff.services import agreement_accept

    client = APIClient()
    client.force_authenticate(unsigned_cm)
    response = client.get("/api/v1/referrals/")
    assert response.status_code == 403
    assert response.json()["detail"] == "请先签署最新的保密协议后再查看客户数据。"
    agreement_accept(actor=unsigned_cm, agreement=world.agreement)
    unsigned_cm = User.objects.get(pk=unsigned_cm.pk)
    client.force_authenticate(unsigned_cm)
    assert client.get("/api/v1/referrals/").status_code == 200


@pytest.mark.django_db
def test_staff_without_customer_reach_are_not_gated(world):
    """A teller has no reach into customer data: the gate does not stand in the way of referrals."""
    from wealthdesk.staff.models import AgreementAcceptance

    AgreementAcceptance.objects.filter(user=world.teller_c1).delete()
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=world.teller_c1.pk))
    assert client.get("/api/v1/products/").status_code == 200
