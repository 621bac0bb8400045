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


@pytest.fixture
def officers(world):
    """A head-office security officer and one in branch 1 (sees only branch 1's alerts)."""
    from wealthdesk.core.roles import Role
    from wealthdesk.staff.models import StaffRole, User

    made = {}
    for name, unit in (("officer_hq", world.hq), ("officer_b1", world.branch1)):
        user = User(username=name, full_name=name, unit=unit)
        user.set_password(PASSWORD)
        user.save()
        StaffRole.objects.create(user=user, role=Role.SECURITY_OFFICER)
        made[name] = user
        world.users[name] = user
    return made
