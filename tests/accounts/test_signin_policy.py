"""The sign-in policy: password complexity and history, a first sign-in or an old password
that must be changed before anything else, idle and absolute session limits (with a
moved clock), and the notice of the previous sign-in."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import signin_policy
from accounts.models import PasswordHistory, User
from audit.models import Kind, SecurityEvent
from tests.factories import TEST_PASSWORD, AdministratorFactory, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, user, password=TEST_PASSWORD, address="10.2.3.4"):
    return client.post(
        LOGIN, {"username": user.username, "password": password}, REMOTE_ADDR=address
    )


def change(client, old, new):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


class Clock:
    def __init__(self, monkeypatch):
        self.moment = timezone.now()
        monkeypatch.setattr(signin_policy, "now", lambda: self.moment)

    def advance(self, **delta):
        self.moment += datetime.timedelta(**delta)


# ------------------------------------------------------------------------- passwords


def test_a_password_needs_three_kinds_of_character(client):
    user = StaffFactory()
    client.force_login(user)
    refused = change(client, TEST_PASSWORD, "onlylowercase-letters")
    assert "至少 3 种" in refused.content.decode()
    assert change(client, TEST_PASSWORD, "Three-kinds-here").status_code == 302


def test_recent_passwords_cannot_come_back(client, settings):
    settings.PORTAL_PASSWORD_HISTORY = 3
    user = StaffFactory()
    client.force_login(user)
    same = change(client, TEST_PASSWORD, TEST_PASSWORD)
    assert "不能使用最近 3 次用过的密码（含当前密码）" in same.content.decode()
    passwords = [TEST_PASSWORD, "Second-password-1", "Third-password-22", "Fourth-password-3"]
    for old, new in itertools.pairwise(passwords):
        assert change(client, old, new).status_code == 302
        client.force_login(User.objects.get(pk=user.pk))
    # The last three, the current one among them, are remembered; the first has dropped out.
    assert "最近 3 次" in change(client, passwords[-1], passwords[1]).content.decode()
    assert change(client, passwords[-1], passwords[0]).status_code == 302
    assert PasswordHistory.objects.filter(user=user).count() == 3
    user.refresh_from_db()
    assert user.password_changed_at is not None


def test_an_account_an_administrator_made_changes_its_password_first(client):
    administrator = AdministratorFactory()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_clerk",
            "full_name": "新同事",
            "password1": "Given-by-admin-2026",
            "password2": "Given-by-admin-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    clerk = User.objects.get(username="new_clerk")
    assert clerk.must_change_password
    client.logout()
    sign_in(client, clerk, "Given-by-admin-2026")
    blocked = client.get(reverse("workbench"))
    assert blocked.status_code == 302 and blocked.url == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    change(client, "Given-by-admin-2026", "My-own-password-2026")
    clerk.refresh_from_db()
    assert not clerk.must_change_password
    # No role yet: the workbench refuses, but no longer sends to the password page.
    assert client.get(reverse("workbench")).status_code == 403


def test_an_old_password_must_be_changed(client, settings, monkeypatch):
    clock = Clock(monkeypatch)
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("matters:staff_list")).status_code == 200
    clock.advance(days=91)
    # Still within the session limits: the session is kept fresh meanwhile.
    session = client.session
    session[signin_policy.SIGNED_IN_AT] = session[signin_policy.LAST_SEEN] = (
        clock.moment.timestamp()
    )
    session.save()
    response = client.get(reverse("matters:staff_list"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    settings.PORTAL_PASSWORD_MAX_AGE_DAYS = 0
    assert client.get(reverse("matters:staff_list")).status_code == 200


# --------------------------------------------------------------------------- sessions


def test_an_idle_session_ends(client, monkeypatch):
    clock = Clock(monkeypatch)
    user = StaffFactory()
    sign_in(client, user)
    url = reverse("matters:staff_list")
    clock.advance(minutes=29)
    assert client.get(url).status_code == 200
    clock.advance(minutes=29)  # 29 minutes after the last request: still in
    assert client.get(url).status_code == 200
    clock.advance(minutes=31)
    response = client.get(url, follow=True)
    assert response.redirect_chain[0][0] == f"{LOGIN}?next={url.replace('/', '%2F')}"
    assert "超过30分钟未操作" in response.content.decode()
    assert "_auth_user_id" not in client.session
    out = SecurityEvent.objects.filter(kind=Kind.LOGOUT).latest("seq")
    assert out.actor_id == user.pk and out.detail == {"reason": "idle"}


def test_a_session_ends_after_its_lifetime_however_busy(client, monkeypatch, settings):
    clock = Clock(monkeypatch)
    user = StaffFactory()
    sign_in(client, user)
    url = reverse("matters:staff_list")
    for _ in range(35):  # a request every 20 minutes: 11 h 40 min
        clock.advance(minutes=20)
        assert client.get(url).status_code == 200
    clock.advance(minutes=25)
    response = client.get(url, follow=True)
    assert "登录已满12小时" in response.content.decode()
    out = SecurityEvent.objects.filter(kind=Kind.LOGOUT).latest("seq")
    assert out.detail == {"reason": "lifetime"}


def test_the_workbench_tells_of_the_previous_sign_in_and_failures_since(client):
    user = StaffFactory()
    sign_in(client, user, address="10.7.7.7")
    assert "上次登录" not in client.get(reverse("workbench")).content.decode()
    client.post("/accounts/logout/")
    sign_in(client, user, "Wrong-password-1", address="10.6.6.6")
    sign_in(client, user, address="10.8.8.8")
    text = client.get(reverse("workbench")).content.decode()
    assert "上次登录" in text and "10.7.7.7" in text
    assert "此后有 1 次使用您的用户名登录失败" in text


# ----------------------------------------------------------------- the list of sessions


def test_the_holder_sees_their_sessions_and_ends_another(client):
    from django.test import Client

    from accounts.models import UserSession

    user = StaffFactory()
    other = Client()
    sign_in(other, user, address="10.3.3.3")
    sign_in(client, user, address="10.4.4.4")
    assert UserSession.objects.filter(user=user).count() == 2
    page = client.get(reverse("accounts:sessions")).content.decode()
    assert "10.3.3.3" in page and "10.4.4.4" in page and "当前会话" in page
    assert other.session.session_key not in page  # a session key never reaches a page
    row = UserSession.objects.get(user=user, address="10.3.3.3")
    response = client.post(reverse("accounts:sessions"), {"session": row.pk}, follow=True)
    assert "已结束1个登录会话" in response.content.decode()
    # The other browser is signed out at its next request.
    assert other.get(reverse("matters:staff_list")).status_code == 302
    assert "10.3.3.3" not in client.get(reverse("accounts:sessions")).content.decode()
    ended = SecurityEvent.objects.filter(kind=Kind.LOGOUT).latest("seq")
    assert ended.detail["reason"] == "ended_elsewhere" and ended.detail["addresses"] == ["10.3.3.3"]
    # Someone else's session cannot be named.
    stranger = StaffFactory()
    third = Client()
    sign_in(third, stranger, address="10.5.5.5")
    theirs = UserSession.objects.get(user=stranger)
    client.post(reverse("accounts:sessions"), {"session": theirs.pk})
    assert third.get(reverse("matters:staff_list")).status_code == 200


def test_signing_out_and_timing_out_drop_the_session_from_the_list(client, monkeypatch):
    from accounts.models import UserSession

    clock = Clock(monkeypatch)
    user = StaffFactory()
    sign_in(client, user)
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=user).exists()
    sign_in(client, user)
    clock.advance(minutes=45)
    assert list(signin_policy.live_sessions(user)) == []
    assert not UserSession.objects.filter(user=user).exists()
