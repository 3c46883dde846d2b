"""Request limits: anonymous clients by address, token clients by account, and a cache
outage lets requests through."""

import logging
import threading

import pytest
from django.core.cache import cache

from api import throttling
from core.counters import count_in_window
from tests.factories import StaffFactory

from .support import assert_error, token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/departments/"


# Half a minute into a minute: a test's requests all fall in one window, whenever it runs.
NOW = 1_800_000_030.0


@pytest.fixture
def limits(settings, monkeypatch):
    """Three requests a minute for anonymous clients, five per token, from a clean slate."""
    cache.clear()
    monkeypatch.setattr(throttling.WindowThrottleMixin, "timer", staticmethod(lambda: NOW))
    settings.PORTAL_API_ANON_RATE = "3/min"
    settings.PORTAL_API_USER_RATE = "5/min"
    yield settings
    cache.clear()


def test_fourth_anonymous_request_in_a_minute_is_429_with_retry_after(client, limits):
    for _ in range(3):
        assert client.get(URL).status_code == 200

    response = client.get(URL)

    error = assert_error(response, 429)
    assert error["code"] == "throttled"
    assert int(response["Retry-After"]) == 30  # the rest of the minute
    assert error["retry_after"] == int(response["Retry-After"])
    assert str(error["retry_after"]) in error["message"]


def test_a_new_minute_starts_a_new_count(client, limits, monkeypatch):
    for _ in range(3):
        client.get(URL)
    assert_error(client.get(URL), 429)

    monkeypatch.setattr(throttling.WindowThrottleMixin, "timer", staticmethod(lambda: NOW + 30))

    assert client.get(URL).status_code == 200


def test_requests_counted_at_the_same_time_are_all_counted(limits):
    """Workers count in the cache at once (Redis in production): none overwrites
    another's count, as reading a list of times and writing it back did."""
    key = "throttle-test:concurrent"
    counts = []

    def hit():
        for _ in range(25):
            counts.append(count_in_window(key, 60))

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == list(range(1, 201))


def test_limit_counts_every_endpoint_together(client, limits):
    for url in (URL, "/api/v1/matters/", "/api/v1/catalogs/"):
        assert client.get(url).status_code == 200

    assert_error(client.get("/api/v1/activities/"), 429)


def test_anonymous_clients_are_counted_by_address(client, limits):
    for _ in range(3):
        client.get(URL, REMOTE_ADDR="10.0.0.1")
    assert_error(client.get(URL, REMOTE_ADDR="10.0.0.1"), 429)

    assert client.get(URL, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(client, limits):
    for n in range(3):
        client.get(URL, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert_error(client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.99"), 429)


def test_token_clients_have_their_own_rate_per_account(client, limits):
    staff = token_for(StaffFactory())
    for _ in range(5):
        assert client.get(URL, **staff).status_code == 200

    error = assert_error(client.get(URL, **staff), 429)

    assert error["retry_after"] > 0
    # Another account, and anonymous callers from the same address, are not held back.
    assert client.get(URL, **token_for(StaffFactory())).status_code == 200
    for _ in range(3):
        assert client.get(URL).status_code == 200


def test_token_clients_are_not_held_to_the_anonymous_rate(client, limits):
    for _ in range(3):
        client.get(URL)
    assert_error(client.get(URL), 429)

    staff = token_for(StaffFactory())
    for _ in range(5):
        assert client.get(URL, **staff).status_code == 200


def test_anonymous_clients_are_held_to_the_anonymous_rate_only(client, limits):
    # A deployment may give tokens the lower rate; anonymous callers keep theirs.
    limits.PORTAL_API_ANON_RATE = "4/min"
    limits.PORTAL_API_USER_RATE = "2/min"

    for _ in range(4):
        assert client.get(URL).status_code == 200
    assert_error(client.get(URL), 429)

    staff = token_for(StaffFactory())
    for _ in range(2):
        assert client.get(URL, **staff).status_code == 200
    assert_error(client.get(URL, **staff), 429)


def test_rates_are_read_from_settings_at_request_time(client, limits):
    for _ in range(3):
        client.get(URL)
    assert_error(client.get(URL), 429)

    limits.PORTAL_API_ANON_RATE = "10/min"

    assert client.get(URL).status_code == 200


def test_after_the_rate_is_lowered_a_refusal_still_says_how_long_to_wait(client, limits):
    limits.PORTAL_API_ANON_RATE = "10/min"
    for _ in range(5):
        assert client.get(URL).status_code == 200

    limits.PORTAL_API_ANON_RATE = "2/min"
    response = client.get(URL)

    error = assert_error(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60
    assert error["retry_after"] == int(response["Retry-After"])


def test_requests_get_through_when_the_cache_is_down(client, limits, monkeypatch, caplog):
    def unavailable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(throttling, "count_in_window", unavailable)
    staff = token_for(StaffFactory())

    with caplog.at_level(logging.WARNING, logger="api.throttling"):
        for _ in range(8):
            assert client.get(URL).status_code == 200
            assert client.get(URL, **staff).status_code == 200

    assert "throttle cache unavailable" in caplog.text


# --- wrong tokens ---------------------------------------------------------------------


def test_wrong_tokens_are_counted_against_the_address_and_refused_with_429(client, limits):
    """130 guesses in a minute were 130 times 401: authentication ended each request
    before any limit was looked at."""
    limits.PORTAL_API_ANON_RATE = "120/min"
    wrong = {"HTTP_AUTHORIZATION": "Token 0123456789abcdef0123456789abcdef01234567"}

    statuses = [
        client.get(URL, REMOTE_ADDR="198.51.100.7", **wrong).status_code for _ in range(130)
    ]
    refused = client.get(URL, REMOTE_ADDR="198.51.100.7", **wrong)
    # A good token from another address is not held back by them.
    good = client.get(URL, REMOTE_ADDR="198.51.100.8", **token_for(StaffFactory()))

    assert statuses[:120] == [401] * 120
    assert statuses[120:] == [429] * 10
    error = assert_error(refused, 429)
    assert int(refused["Retry-After"]) == 30
    assert error["retry_after"] == 30
    assert good.status_code == 200


def test_a_good_token_from_the_same_address_still_works_after_guesses(client, limits):
    wrong = {"HTTP_AUTHORIZATION": "Token wrong"}
    for _ in range(3):
        assert client.get(URL, **wrong).status_code == 401
    assert_error(client.get(URL, **wrong), 429)

    assert client.get(URL, **token_for(StaffFactory())).status_code == 200


def test_wrong_tokens_behind_a_proxy_are_counted_by_the_address_it_vouches_for(client, limits):
    limits.REST_FRAMEWORK = {**limits.REST_FRAMEWORK, "NUM_PROXIES": 1}
    wrong = {"HTTP_AUTHORIZATION": "Token wrong", "REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.5", **wrong)
    assert_error(client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.5", **wrong), 429)

    assert client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.6", **wrong).status_code == 401
