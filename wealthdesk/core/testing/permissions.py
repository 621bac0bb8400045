"""The generic permission matrix (DESIGN rule 9): declare who may, who may not, and who must not even
know the object exists, and the mixin's tests check every kind of user against the page or endpoint.

    class TestCustomerDetailAccess(AccessMatrix):
        allowed = ("cm_c1_1", "head_c1")          # → 200 (or ``ok_status``)
        forbidden = ("teller_c1", "advisor_1")    # wrong role → 403
        hidden = ("cm_c2_1", "head_c2")           # out of scope → 404

        def url(self, world):
            return f"/customers/{world.cust_a.pk}/"

API endpoints set ``api = True``: anonymous callers get 401/403 instead of a redirect to the login page.
For writes set ``method = "post"`` and ``payload(world)``.
"""
from __future__ import annotations

import pytest


class AccessMatrix:
    allowed: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    api: bool = False
    method: str = "get"
    ok_status: tuple[int, ...] = (200,)
    forbidden_status: tuple[int, ...] = (403,)
    hidden_status: tuple[int, ...] = (404,)

    def url(self, world) -> str:  # pragma: no cover - each subclass says which URL
        raise NotImplementedError

    def payload(self, world):
        return None

    def _call(self, client, world, username=None):
        if username:
            client.force_login(world.users[username])
        url = self.url(world)
        data = self.payload(world)
        call = getattr(client, self.method)
        if self.method == "get":
            return call(url, data or {})
        if self.api:
            return call(url, data or {}, content_type="application/json")
        return call(url, data or {})

    @pytest.mark.django_db
    def test_anonymous_is_turned_away(self, client, world):
        response = self._call(client, world)
        if self.api:
            assert response.status_code in (401, 403), response.status_code
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    @pytest.mark.django_db
    def test_allowed_roles_in_scope(self, client, world):
        for name in self.allowed:
            client.logout()
            response = self._call(client, world, name)
            assert response.status_code in self.ok_status, f"{name}: {response.status_code}"

    @pytest.mark.django_db
    def test_wrong_roles_are_forbidden(self, client, world):
        for name in self.forbidden:
            client.logout()
            response = self._call(client, world, name)
            assert response.status_code in self.forbidden_status, f"{name}: {response.status_code}"

    @pytest.mark.django_db
    def test_out_of_scope_users_get_not_found(self, client, world):
        for name in self.hidden:
            client.logout()
            response = self._call(client, world, name)
            assert response.status_code in self.hidden_status, f"{name}: {response.status_code}"
