"""Login lockout (django-axes) and the password rules, through the real login pages."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from tests.factories import TEST_PASSWORD, ReviewerFactory, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def attempt(client, user, password, *, address="10.1.1.1", url=LOGIN, **extra):
    return client.post(
        url, {"username": user.username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail(client, user, times, **kwargs):
    for _ in range(times):
        response = attempt(client, user, "wrong-password-123", **kwargs)
        assert response.status_code in (200, 429)


def test_five_failures_lock_the_username_at_that_address_even_for_the_right_password(client):
    user = StaffFactory()
    fail(client, user, 4)
    # Four failures: the fifth try with the right password still gets in.
    assert attempt(client, user, TEST_PASSWORD).status_code == 302
    client.logout()
    fail(client, user, 5)

    response = attempt(client, user, TEST_PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    text = response.content.decode()
    assert "登录已暂时锁定" in text and "15 分钟后再试" in text
    assert response["Retry-After"] == str(15 * 60)
    assert 'name="password"' not in text  # no form inviting another try


def test_the_lockout_is_for_that_username_from_that_address_only(client):
    locked, colleague = StaffFactory(), StaffFactory()
    fail(client, locked, 5)

    assert attempt(client, locked, TEST_PASSWORD).status_code == 429
    # The same person from another address (another office), and a colleague behind the
    # same address, are not locked out.
    assert attempt(client, locked, TEST_PASSWORD, address="10.2.2.2").status_code == 302
    client.logout()
    assert attempt(client, colleague, TEST_PASSWORD).status_code == 302


def test_the_admin_login_shares_the_lockout(client):
    reviewer = ReviewerFactory()
    fail(client, reviewer, 5, url=ADMIN_LOGIN)

    assert attempt(client, reviewer, TEST_PASSWORD).status_code == 429
    assert attempt(client, reviewer, TEST_PASSWORD, url=ADMIN_LOGIN).status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client):
    user = StaffFactory()
    fail(client, user, 5)

    response = attempt(client, user, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_proxy_header(client, settings):
    settings.PORTAL_NUM_PROXIES = 1
    user = StaffFactory()
    proxy = "10.9.9.9"
    # The client may prepend anything; the proxy appends the address it saw, last.
    fail(client, user, 5, address=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")

    same = attempt(
        client, user, TEST_PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.7"
    )
    other = attempt(
        client, user, TEST_PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )

    assert same.status_code == 429
    assert other.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client):
    user = StaffFactory()
    fail(client, user, 5)
    assert attempt(client, user, TEST_PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=16)
    )

    assert attempt(client, user, TEST_PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures(client):
    user = StaffFactory()
    fail(client, user, 4)
    assert attempt(client, user, TEST_PASSWORD).status_code == 302
    client.logout()

    fail(client, user, 4)

    assert attempt(client, user, TEST_PASSWORD).status_code == 302


def test_failed_logins_are_recorded_without_the_password(client):
    user = StaffFactory()
    fail(client, user, 2)

    row = AccessAttempt.objects.get(username=user.username)
    assert row.failures_since_start == 2
    assert row.ip_address == "10.1.1.1"
    assert "wrong-password-123" not in str(row.post_data)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-pw-26", "密码太短：至少需要 12 个字符"),
        ("12345678901234", "密码只包含数字"),
        ("password1234", "这个密码太常见了"),
    ],
)
def test_passwords_shorter_than_12_common_or_numeric_are_refused(client, password, message):
    user = StaffFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_a_twelve_character_password_is_accepted(client):
    user = StaffFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Qd-consult26",
            "new_password2": "Qd-consult26",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Qd-consult26")
