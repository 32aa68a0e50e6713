"""One notion of the client's address, and limits that a rotated X-Forwarded-For cannot defeat."""

import itertools
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

import qualitymonth
from qualitymonth.core import identity, ratelimit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_fake = (f"198.51.100.{n % 250}" for n in itertools.count(1))


def rotated() -> dict:
    """Headers of a client that writes a new X-Forwarded-For on every request."""
    return {"HTTP_X_FORWARDED_FOR": next(_fake)}


def behind_proxy(client_address: str) -> dict:
    """What nginx sends: whatever the client wrote, then the address it saw."""
    return {"HTTP_X_FORWARDED_FOR": f"{next(_fake)}, {client_address}"}


def request_with(remote="10.0.0.1", **meta):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


# --- the address itself ------------------------------------------------------------------------


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.QM_TRUSTED_PROXY_COUNT = 0
    request = request_with(HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_ip(request) == "10.0.0.1"


def test_behind_one_proxy_the_right_most_address_it_did_not_add_is_the_client(settings):
    settings.QM_TRUSTED_PROXY_COUNT = 1
    spoofed = request_with(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert ratelimit.client_ip(spoofed) == "203.0.113.9"
    assert ratelimit.client_ip(request_with(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    # No header at all (a request that did not come through the proxy): the connection.
    assert ratelimit.client_ip(request_with()) == "10.0.0.1"


def test_the_header_counts_only_on_connections_from_the_proxies(settings):
    import ipaddress

    settings.QM_TRUSTED_PROXY_COUNT = 1
    settings.QM_TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/24")]
    through_proxy = request_with("10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_ip(through_proxy) == "203.0.113.9"
    # A peer that reached the app node directly names itself 127.0.0.1: ignored.
    direct = request_with("172.18.0.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert ratelimit.client_ip(direct) == "172.18.0.9"


def test_behind_two_proxies(settings):
    settings.QM_TRUSTED_PROXY_COUNT = 2
    request = request_with(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.2")
    assert ratelimit.client_ip(request) == "203.0.113.9"
    short = request_with(HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_ip(short) == "203.0.113.9"


@pytest.mark.parametrize("garbage", ["not-an-ip", "", " , ", "999.1.1.1", "<script>"])
def test_a_garbled_header_falls_back_to_the_connection(settings, garbage):
    settings.QM_TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request_with(HTTP_X_FORWARDED_FOR=garbage)) == "10.0.0.1"


def test_an_ipv6_client_is_limited_by_its_64(settings):
    one = request_with(remote="2001:db8:1:2:aaaa::1")
    other = request_with(remote="2001:db8:1:2:bbbb::9")
    assert ratelimit.client_key(one) == ratelimit.client_key(other) == "2001:db8:1:2::/64"
    assert ratelimit.client_key(request_with(remote="::ffff:10.1.2.3")) == "10.1.2.3"


def test_no_module_reads_the_address_headers_itself():
    """Every limit names the client through core.ratelimit; nothing else reads the headers."""
    root = Path(qualitymonth.__file__).parent
    readers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"REMOTE_ADDR|X_FORWARDED_FOR|X-Forwarded-For", path.read_text())
        and path.name not in {"ratelimit.py", "settings.py"}
    )
    assert readers == []


def test_every_api_throttle_names_the_client_through_core():
    from qualitymonth.api.urls import api
    from qualitymonth.core.throttles import AddressThrottle

    throttles = [
        throttle
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        for throttle in operation.throttle_objects
    ]
    assert throttles, "the API has limited operations"
    assert all(isinstance(t, AddressThrottle) for t in throttles)


# --- limits under a rotated header, with and without a proxy ------------------------------------


@pytest.fixture(params=[0, 1], ids=["direct", "behind-proxy"])
def proxies(request, settings):
    settings.QM_TRUSTED_PROXY_COUNT = request.param
    return request.param


def same_client_headers(proxies: int) -> dict:
    return rotated() if proxies == 0 else behind_proxy("203.0.113.50")


def _api_post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/activities/{activity}/registrations", 20),
        ("/api/complaints", 10),
        ("/api/complaints/track", 60),
        ("/api/complaints/rate", 60),
    ],
)
def test_api_throttles_hold_against_a_rotated_header(proxies, activity, path, limit):
    client = Client()
    path = path.format(activity=activity.pk)
    codes = [
        _api_post(client, path, {}, same_client_headers(proxies)).status_code
        for _ in range(limit + 1)
    ]
    assert 429 not in codes[:limit]
    assert codes[-1] == 429


def test_behind_a_proxy_two_real_clients_are_counted_apart(settings, activity):
    settings.QM_TRUSTED_PROXY_COUNT = 1
    client = Client()
    path = f"/api/activities/{activity.pk}/registrations"
    for _ in range(20):
        _api_post(client, path, {}, behind_proxy("203.0.113.50"))
    assert _api_post(client, path, {}, behind_proxy("203.0.113.50")).status_code == 429
    assert _api_post(client, path, {}, behind_proxy("203.0.113.51")).status_code != 429


def test_the_web_tracking_limit_holds_against_a_rotated_header(proxies, campaign):
    client = Client()
    errors = []
    for n in range(21):
        response = client.post(
            "/complaints/track/",
            {"tracking_number": f"99{n:012d}", "mobile_last4": "1234"},
            **same_client_headers(proxies),
        )
        errors.append(response.content.decode())
    assert not any("Too many attempts" in e or "尝试次数过多" in e for e in errors[:20])
    assert "Wait ten minutes" in errors[-1] or "十分钟" in errors[-1]


def test_the_text_code_limit_holds_against_a_rotated_header(proxies):
    from django.contrib.sessions.backends.db import SessionStore

    def send(n):
        request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", **same_client_headers(proxies))
        request.session = SessionStore()
        return identity.mobile_code_send(request, f"1390000{n:04d}")

    for n in range(10):
        send(n)
    with pytest.raises(ValidationError, match="Too many codes"):
        send(10)


def test_the_login_lock_out_holds_against_a_rotated_header(proxies, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="target")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "target", "password": "wrong"},
            **same_client_headers(proxies),
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "target", "password": "wrong"},
        **same_client_headers(proxies),
    )
    assert locked.status_code == 429
