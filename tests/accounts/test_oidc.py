"""Unified identity without a provider: what the portal decides on its own. (The journey
against a real provider is tests/browser/test_oidc_journey.py.)"""

import pytest
from django.urls import reverse

from accounts.models import User
from audit.models import Kind, SecurityEvent
from tests.factories import TEST_PASSWORD, ReviewerFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_off_without_a_client_the_steps_are_not_found(client):
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404
    login = client.get(reverse("accounts:login")).content.decode()
    assert "使用统一身份认证登录" not in login


def test_on_the_login_page_offers_the_platform(client, settings):
    settings.OIDC_RP_CLIENT_ID = "consult-portal"
    login = client.get(reverse("accounts:login")).content.decode()
    assert "使用统一身份认证登录" in login


def test_the_local_password_can_be_switched_off_per_account(client):
    clerk = StaffFactory(password_sign_in=False)
    refused = client.post(
        reverse("accounts:login"), {"username": clerk.username, "password": TEST_PASSWORD}
    )
    assert "该账号已关闭本地密码登录，请使用统一身份认证登录" in refused.content.decode()
    assert client.get(reverse("workbench")).status_code == 302
    reviewer = ReviewerFactory(password_sign_in=False)
    admin = client.post(
        reverse("admin:login"), {"username": reviewer.username, "password": TEST_PASSWORD}
    )
    assert "该账号已关闭本地密码登录" in admin.content.decode()


def test_unbound_accounts_hold_no_subject_and_binding_is_audited():
    first, second = StaffFactory(oidc_subject=""), StaffFactory(oidc_subject="  ")
    assert User.objects.filter(pk__in=[first.pk, second.pk], oidc_subject=None).count() == 2
    first.oidc_subject = "370200-li"
    first.save()
    changed = SecurityEvent.objects.filter(kind=Kind.ACCOUNT_CHANGED).order_by("-seq").first()
    assert changed.target_id == str(first.pk)
    assert "oidc_subject" in str(changed.detail)


def test_the_refusal_page_explains_itself(client):
    page = client.get(reverse("accounts:oidc_refused"))
    assert page.status_code == 200
    assert "统一身份认证平台未能完成登录" in page.content.decode()
