import pytest

from wealthdesk.core.testing.world import PASSWORD


@pytest.fixture
def password_only(client, world):
    """``password_only("cm_c1_1")`` → the test client signed in through the login form: password, no second step."""

    def make(name):
        client.logout()
        response = client.post("/accounts/login/", {"username": name, "password": PASSWORD})
        assert response.status_code == 302
        return client

    return make
