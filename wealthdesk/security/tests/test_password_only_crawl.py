"""Issue 15: a session signed in with the password only reaches nothing but enrolment and verification — every URL
pattern of the project (pages, details, exports, API lists and details, admin), GET as every persona, POST too as
a client manager: pages send to the second step, the API answers 403."""
import re

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from wealthdesk.core.testing.world import PASSWORD, PERSONAS

pytestmark = pytest.mark.django_db

OPEN = {"/security/verify/", "/security/enrol/", "/accounts/login/", "/accounts/logout/", "/jsi18n/",
        "/i18n/setlang/"}
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
FILL = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001",
        None: "x"}


def every_path(resolver=None, prefix="") -> list[str]:
    out = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").replace("$", "").replace("\\Z", "")
        if isinstance(entry, URLResolver):
            out += every_path(entry, route)
        elif isinstance(entry, URLPattern):
            if "<format>" in route:  # DRF's format-suffix twins of the plain routes walked anyway
                continue
            path = REGEX_GROUP.sub("1", route)
            out.append("/" + CONVERTER.sub(lambda m: FILL.get(m.group(1), "x"), path))
    return sorted(set(out))


def test_the_walk_covers_the_project():
    paths = every_path()
    assert len(paths) > 100
    assert "/customers/" in paths and "/api/v1/customers/" in paths and "/admin/" in paths


@override_settings(SESSION_SAVE_EVERY_REQUEST=False)  # thousands of requests: no session write for each
def test_a_password_only_session_reaches_nothing_as_any_persona(client, world):
    paths = every_path()
    reached = []
    for name in PERSONAS:
        client.logout()
        assert client.post("/accounts/login/", {"username": name, "password": PASSWORD}).status_code == 302
        for path in paths:
            if path in OPEN:
                continue
            for method in (client.get, client.post) if name == "cm_c1_1" else (client.get,):
                response = method(path)
                status = response.status_code
                if path.startswith("/api/"):
                    ok = status == 403 and "双因素认证" in response.json()["detail"]
                else:
                    ok = status == 302 and response["Location"].startswith("/security/verify/")
                if not ok:
                    reached.append(f"{name} {method.__name__} {path} → {status}")
        assert "_auth_user_id" in client.session  # still the same password-only session
    assert not reached, "\n".join(reached[:30])
