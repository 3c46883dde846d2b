"""Headless Chromium for the browser journeys, driven through Playwright's sync API.

The browser is Debian's Chromium, not one Playwright downloads. A failed test leaves a
full-page screenshot in test-artifacts/screenshots/ so CI shows what the user saw.
"""

import os
import re
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

# Playwright's sync API runs an event loop in the main thread; without this Django's ORM
# refuses to run in the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything in this folder, so `-m "not browser"` (or "not slow") leaves it out."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (``item.rep_call``) for the ``page`` fixture."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    # Django keeps database connections thread-local, but context-local in a thread whose
    # event loop is running, and Playwright's sync API marks its loop as running in the
    # main thread. Hand the thread's own connections over, or a test body would get fresh
    # ones without what the test database setup put on them, such as the contents that
    # serialized_rollback restores (whenever another test set the database up first).
    thread_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in thread_connections.items():
        connections[alias] = connection
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Browser, request):
    """A fresh, logged-out browser context per test, in Chinese."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            folder = request.config.rootpath / "test-artifacts" / "screenshots"
            folder.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        context.close()


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the login form, as a member of staff would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出", exact=True)).to_be_visible()
