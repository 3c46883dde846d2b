"""The Content-Security-Policy, as Chromium enforces it: the portal's own pages, the admin
and the API docs work with scripts and styles from files only, and nothing is refused."""

import pytest
from playwright.sync_api import Page, expect

from matters.services import matter_publish
from tests.browser.conftest import login
from tests.factories import TEST_PASSWORD, AdministratorFactory, make_matter, make_period

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def watch(page: Page) -> list[str]:
    """Collect what Chromium reports about the policy: refusals and script errors."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text)
        if "Content Security Policy" in message.text or message.type == "error"
        else None,
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def visit(page: Page, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert problems == [], f"{url}: {problems}"


def test_public_pages_run_under_the_policy(page: Page, live_server):
    matter = make_matter()
    matter = matter_publish(matter=matter, by=matter.created_by)
    period = make_period(matter=matter)
    problems = watch(page)

    for path in [
        "/",
        "/matters/",
        f"/matters/{matter.pk}/",
        f"/consultations/{period.pk}/",
        "/search/?q=城市更新",
        "/accounts/login/",
    ]:
        visit(page, f"{live_server.url}{path}", problems)


def test_the_api_docs_run_under_the_policy(page: Page, live_server):
    problems = watch(page)

    visit(page, f"{live_server.url}/api/docs/", problems)

    # Swagger UI rendered from its files: the operations are listed.
    expect(page.locator(".opblock").first).to_be_visible()


def test_the_admin_runs_under_the_policy(page: Page, live_server):
    admin = AdministratorFactory()
    login(page, live_server, admin.username, TEST_PASSWORD)
    problems = watch(page)

    for path in [
        "/admin/",
        "/admin/matters/matter/",
        "/admin/annual_plans/annualplan/",
        "/admin/participation/opinion/",
        "/admin/accounts/user/add/",
    ]:
        visit(page, f"{live_server.url}{path}", problems)
