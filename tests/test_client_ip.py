"""One setting, TRUSTED_PROXY_COUNT, tells the lockout and every rate limit who the visitor is."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.client_ip import client_ip
from tests.factories import DEFAULT_PASSWORD, SessionFactory, StudentUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

PROXY = "10.0.0.1"


def forged(n):
    return {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}", "HTTP_X_REAL_IP": f"203.0.113.{n}"}


def via_proxy(visitor, forged_prefix=""):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged_prefix}{visitor}"}


def login(client, username, password, headers):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **headers
    )


def verify(client, headers):
    return client.post("/verification/", {"code": "P-XXXXXXXX"}, **headers)


def invigilate(client, session, headers):
    return client.post(
        reverse("invigilator:login"),
        {"session_number": session.id, "password": "aaaaaa"},
        **headers,
    )


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "192.0.2.1", **forged(1)}, "192.0.2.1"),
        (1, via_proxy("198.51.100.7", forged_prefix="203.0.113.1, "), "198.51.100.7"),
        (
            2,
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.0.0.2"},
            "198.51.100.7",
        ),
        # Fewer entries than proxies, or garbage: not through our proxies, the peer counts.
        (2, via_proxy("198.51.100.7"), PROXY),
        (1, via_proxy("not-an-ip"), PROXY),
    ],
)
def test_the_client_ip_is_counted_from_the_right_of_x_forwarded_for(
    settings, proxies, meta, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_without_a_trusted_proxy_forged_headers_escape_no_limit(client, settings, school):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.VERIFICATION_RATE_LIMIT = "3/m"
    settings.INVIGILATOR_LOGIN_IP_RATE = "3/h"
    user = StudentUserFactory(username="lea.martin0103")
    sessions = SessionFactory.create_batch(4, organization=school)
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "mauvais", forged(n))
    for n in range(3):
        verify(client, forged(n))
        invigilate(client, sessions[n], forged(n))

    assert login(client, user.username, DEFAULT_PASSWORD, forged(99)).status_code == 429
    assert verify(client, forged(99)).status_code == 429
    assert invigilate(client, sessions[3], forged(99)).status_code == 429


def test_behind_the_proxy_one_visitor_locked_out_does_not_lock_the_others(client, settings, school):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.VERIFICATION_RATE_LIMIT = "3/m"
    settings.INVIGILATOR_LOGIN_IP_RATE = "3/h"
    user = StudentUserFactory(username="lea.martin0103")
    sessions = SessionFactory.create_batch(4, organization=school)
    attacker, visitor = "198.51.100.1", "198.51.100.2"
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "mauvais", via_proxy(attacker, f"203.0.113.{n}, "))
    for n in range(3):
        verify(client, via_proxy(attacker, f"203.0.113.{n}, "))
        invigilate(client, sessions[n], via_proxy(attacker, f"203.0.113.{n}, "))

    # The attacker stays held back, whatever they prepend to X-Forwarded-For...
    assert login(client, user.username, DEFAULT_PASSWORD, via_proxy(attacker)).status_code == 429
    assert verify(client, via_proxy(attacker, "203.0.113.99, ")).status_code == 429
    assert invigilate(client, sessions[3], via_proxy(attacker)).status_code == 429
    # ...while another visitor behind the same proxy is not.
    assert login(client, user.username, DEFAULT_PASSWORD, via_proxy(visitor)).status_code == 302
    client.logout()
    assert verify(client, via_proxy(visitor)).status_code == 200
    assert invigilate(client, sessions[3], via_proxy(visitor)).status_code == 200
