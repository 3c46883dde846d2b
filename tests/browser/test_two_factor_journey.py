"""Two-factor sign-in in the browser: an office reviewer signs in for the first time, binds
an authenticator by its typed key (as a phone app would take it), keeps the recovery
codes, reaches the admin; signs in again and gets in with a recovery code."""

import base64
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.factories import TEST_PASSWORD, GeneralOfficeFactory, ReviewerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def app_code(typed_key: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed into it."""
    key = typed_key.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return str(totp.token()).zfill(6)


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_reviewer_binds_an_authenticator_and_signs_in_with_a_recovery_code(
    page: Page, live_server, settings
):
    settings.PORTAL_TWO_FACTOR_REQUIRED = True
    refusals = []
    page.on(
        "console",
        lambda message: (
            refusals.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    ReviewerFactory(department=GeneralOfficeFactory(), username="bgt_reviewer")

    sign_in(page, live_server, "bgt_reviewer")
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    expect(page.get_by_role("img", name="用于绑定身份验证器的二维码")).to_be_visible()
    # Anywhere else leads back here until an authenticator is bound.
    page.goto(f"{live_server.url}{reverse('workbench')}")
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    key = page.locator("#secret").inner_text()
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("验证码不正确")).to_be_visible()
    time.sleep(1.2)  # the wait a wrong code earns
    page.get_by_label("验证码").fill(app_code(key))
    page.get_by_role("button", name="完成绑定").click()

    expect(page.get_by_role("heading", name="请保存您的恢复码")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    # On to the page last asked for.
    page.get_by_role("link", name="我已妥善保存，继续").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('workbench')}")
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_text("审核与管理")).to_be_visible()

    page.goto(f"{live_server.url}{reverse('workbench')}")
    page.get_by_role("button", name="退出", exact=True).click()
    sign_in(page, live_server, "bgt_reviewer")
    expect(page.get_by_role("heading", name="双因素认证")).to_be_visible()
    page.get_by_text("手机丢失或无法使用身份验证器？").click()
    expect(page.get_by_text("可以输入启用双因素认证时保存的恢复码")).to_be_visible()
    page.get_by_label("验证码").fill(codes[0].upper())
    page.get_by_role("button", name="验证并登录").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_text("您使用了一个恢复码，还剩9个")).to_be_visible()
    assert refusals == []
