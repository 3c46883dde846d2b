"""Unified identity (统一身份认证) in the browser against a real OpenID Connect provider:
panva's oidc-provider (tests/oidc/provider.mjs, installed by scripts/ensure-oidc-provider.sh)
runs in a second process on a free port. A bound account signs in and lands on its
workbench, then signs out of both; an unbound subject is refused with a page that says
why; a callback whose state was tampered with is refused."""

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Page, expect

from audit.models import Kind, SecurityEvent
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc"
CLIENT_ID = "consult-portal"
CLIENT_SECRET = "test-only-client-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def identity_provider(live_server, settings):
    """The provider in its own process, the portal configured as its client."""
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is missing: run `make setup` (scripts/ensure-oidc-provider.sh)")
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{live_server.url}/accounts/oidc/callback/",
        "OIDC_POST_LOGOUT_URI": f"{live_server.url}/",
    }
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: run `make setup` (it installs Debian's nodejs)")
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("ready "):
                break
            if process.poll() is not None:
                pytest.fail(f"the OIDC provider stopped: {line}{process.stdout.read()}")
        else:
            pytest.fail("the OIDC provider did not start within 30 s")
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
        settings.OIDC_OP_END_SESSION_ENDPOINT = f"{issuer}/session/end"
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in_at_the_provider(page: Page, live_server, subject: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    # The provider's own pages (its development sign-in): any name is the subject.
    page.locator("input[name=login]").fill(subject)
    page.locator("input[name=password]").fill("whatever the platform asks")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()  # the consent page


def test_a_bound_account_signs_in_and_out_through_the_platform(
    page: Page, live_server, identity_provider
):
    StaffFactory(username="sfj_clerk", full_name="张伟", oidc_subject="370200-zhangwei")
    sign_in_at_the_provider(page, live_server, "370200-zhangwei")
    expect(page).to_have_url(f"{live_server.url}/workbench/")
    expect(page.get_by_text("张伟，您好。")).to_be_visible()
    login = SecurityEvent.objects.filter(kind=Kind.LOGIN).order_by("-seq").first()
    assert login.username == "sfj_clerk"

    # Signing out ends the portal's session, then the platform's.
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("button", name="Yes, sign me out")).to_be_visible()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workbench/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    # The platform's session is gone too: it asks for the sign-in again.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    expect(page.locator("input[name=login]")).to_be_visible()


def test_an_unbound_subject_is_refused_with_a_clear_page(
    page: Page, live_server, identity_provider
):
    StaffFactory(username="sfj_clerk", oidc_subject="370200-zhangwei")
    sign_in_at_the_provider(page, live_server, "370200-stranger")
    expect(page).to_have_url(f"{live_server.url}/accounts/oidc/refused/")
    expect(page.get_by_role("heading", name="统一身份认证登录未成功")).to_be_visible()
    expect(page.get_by_text("尚未绑定本平台的工作人员账号")).to_be_visible()
    expect(page.get_by_role("button", name="退出", exact=True)).to_have_count(0)
    refused = SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).order_by("-seq").first()
    assert refused.username == "370200-stranger" and refused.detail["reason"] == "unbound"


def test_a_tampered_state_is_refused(page: Page, live_server, identity_provider):
    StaffFactory(username="sfj_clerk", oidc_subject="370200-zhangwei")

    def tamper(route):
        """The provider's redirect back to the portal, with another state in it (a forged
        or replayed callback)."""
        # The consent's answer redirects to the provider's /auth/…, which redirects to the
        # portal: take both steps here, and hand the browser the second, altered.
        if "prompt=consent" not in (route.request.post_data or ""):
            route.continue_()
            return
        answer = route.fetch(max_redirects=0)
        onward = page.context.request.get(answer.headers["location"], max_redirects=0)
        location = onward.headers["location"]
        assert "/accounts/oidc/callback/" in location, location
        parts = urlsplit(location)
        query = dict(parse_qsl(parts.query))
        query["state"] = "forged-" + query["state"][:8]
        forged = urlunsplit(parts._replace(query=urlencode(query)))
        route.fulfill(status=303, headers={"location": forged})

    page.route(re.compile(re.escape(identity_provider) + r"/interaction/[^/?]+$"), tamper)
    sign_in_at_the_provider(page, live_server, "370200-zhangwei")
    expect(page.get_by_role("heading", name="统一身份认证登录未成功")).to_be_visible()
    expect(page.get_by_text("登录请求无效或已过期")).to_be_visible()
    page.goto(f"{live_server.url}/workbench/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    refused = SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED).order_by("-seq").first()
    assert refused.detail["reason"] == "state"
