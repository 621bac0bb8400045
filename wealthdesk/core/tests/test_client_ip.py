"""The client address in the audit log and rate limits cannot be forged with X-Forwarded-For."""
from django.test import RequestFactory

from wealthdesk.core.middleware import client_ip


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.9"


def test_the_trusted_proxy_passes_on_the_clients_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.1.20")
    assert client_ip(request) == "192.168.1.20"  # the right-most address the proxy saw, not the forged one
