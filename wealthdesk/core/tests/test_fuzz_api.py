"""Fuzzing the API against its own OpenAPI schema with schemathesis (issue 9): as a client manager and as a center
head, every operation gets a bounded number of generated requests; no answer may be a 5xx and every answer must
match the schema (status code documented, body shape, content type). Runs in ``make test`` on SQLite and
PostgreSQL.

Bounds: ``FUZZ_EXAMPLES`` examples per operation (default 4; ``WD_FUZZ_EXAMPLES`` overrides), no deadline, a
fixed seed (derandomised) so a failure is reproducible. The file upload (``POST /api/v1/imports/``) and the token
endpoint (``POST /api/v1/auth/token/``) are left out of the schema-conformance walk (a throttled or refused attempt
may answer in ways the walk cannot predict) and fuzzed on their own below: generated multipart bodies and small bad
files for the upload, generated bodies and wrong credentials for the token — never a 5xx, always a message.
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

FUZZ_EXAMPLES = int(os.environ.get("WD_FUZZ_EXAMPLES", "4"))
EXCLUDED = {("POST", "/api/v1/imports/"), ("POST", "/api/v1/auth/token/")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    return schema


def _operations():
    out = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in EXCLUDED:
            out.append(operation)
    return out


@pytest.fixture
def keep_the_test_connection():
    """The WSGI app is called directly (not through Django's test client), so its request signals would close the
    test's database connection (CONN_MAX_AGE on PostgreSQL); do what the test client does and keep it open."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_the_test_connection")
@pytest.mark.parametrize("persona", ["cm_c1_1", "head_c1"])
def test_every_api_operation_survives_fuzzing_and_matches_its_schema(world, persona):
    token, _ = Token.objects.get_or_create(user=world.users[persona])
    headers = {"Authorization": f"Token {token.key}"}
    failures: list[str] = []
    for operation in _operations():
        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, f"{len(failures)} operations failed:\n" + "\n\n".join(failures)


def _fuzz_one(method: str, path: str, headers: dict) -> list[str]:
    """Generated requests for one operation, checked only for server errors."""
    operation = next(r.ok() for r in _schema().get_all_operations()
                     if (r.ok().method.upper(), r.ok().path) == (method, path))

    @settings(max_examples=FUZZ_EXAMPLES * 3, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    try:
        run()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return [f"{method} {path}: {str(exc)[:800]}"]
    return []


BAD_FILES = [
    ("balances.xlsx", b"PK\x03\x04 not really a zip"),
    ("balances.xlsx", b""),
    ("balances.csv", b""),
    ("balances.csv", b"\xff\xfe\x00\x01\x02garbage"),
    ("balances.csv", "客户号,日期\n=1+1,9999-99-99\n".encode()),
    ("balances.csv", "cif_no,as_of,aum\nC1,0001-01-01,abc\n".encode("gb18030")),
    ("balances.exe", b"MZ\x90\x00"),
]


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_the_test_connection")
def test_import_upload_survives_fuzzing_and_bad_files(world):
    token, _ = Token.objects.get_or_create(user=world.hq_service)
    failures = _fuzz_one("POST", "/api/v1/imports/", {"Authorization": f"Token {token.key}"})
    assert not failures, failures
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for kind in ("balances", "transactions", "customers", "nope", ""):
        for name, content in BAD_FILES:
            resp = api.post("/api/v1/imports/", {"kind": kind, "file": SimpleUploadedFile(name, content)},
                            format="multipart")
            assert 400 <= resp.status_code < 500, (kind, name, resp.status_code, resp.content[:300])
            assert resp.json(), (kind, name)
    assert api.post("/api/v1/imports/", {"kind": "balances"}, format="multipart").status_code == 400
    assert api.post("/api/v1/imports/", b"\x00\x01", content_type="application/octet-stream").status_code in (
        400, 415)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_the_test_connection")
def test_token_endpoint_survives_fuzzing_and_wrong_credentials(world):
    sessions = Session.objects.count()
    failures = _fuzz_one("POST", "/api/v1/auth/token/", {})
    assert not failures, failures
    api = APIClient()
    bodies = [{"username": "cm_c1_1", "password": "wrong"}, {"username": "nobody", "password": "x"},
              {"username": "cm_c1_1", "password": "wrong", "otp": "abc"}, {}, {"username": ""},
              {"username": "x" * 5000, "password": "y" * 5000}, {"username": ["a"], "password": {"b": 1}}]
    for body in bodies:
        resp = api.post("/api/v1/auth/token/", body, format="json")
        assert resp.status_code in (400, 401, 403, 429), (body if len(str(body)) < 80 else "long", resp.status_code)
        assert resp.json(), body
    resp = api.post("/api/v1/auth/token/", b"{not json", content_type="application/json")
    assert resp.status_code in (400, 429)
    assert Session.objects.count() == sessions, "a failed token call leaves no session row"
