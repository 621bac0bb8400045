import pytest
from django.test import RequestFactory


@pytest.fixture
def rf_request():
    """A GET request of one user, as the services receive it from a page."""

    def make(user, path="/exportcontrol/new/"):
        request = RequestFactory().get(path)
        request.user = user
        return request

    return make
