"""Anonymous public pages and API totals are cached, and dropped the moment anything
they show changes (core/content_cache.py)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings

from core import content_cache, middleware
from core.middleware import PublicPageCacheMiddleware
from matters.models import Matter
from matters.services import matter_publish
from participation.models import Opinion
from participation.services.comments import opinion_submit, opinions_moderate
from tests.factories import StaffFactory, make_matter, make_period, make_published_matter

pytestmark = pytest.mark.django_db


def queries_of(client, url, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured), response


def test_an_anonymous_page_is_served_again_without_reading_the_database(client):
    make_published_matter("社区养老服务设施布局规划")

    first, page = queries_of(client, "/matters/")
    again, cached = queries_of(client, "/matters/")

    assert first > 0
    assert again == 0
    assert cached.content == page.content
    assert "社区养老服务设施布局规划" in cached.content.decode()


def test_publishing_a_matter_shows_at_once_on_the_cached_list(client):
    make_published_matter("社区养老服务设施布局规划")
    queries_of(client, "/matters/")
    later = make_matter(title="老旧小区改造资金分担办法")
    assert "老旧小区改造资金分担办法" not in client.get("/matters/").content.decode()

    matter_publish(matter=later, by=later.created_by)

    count, response = queries_of(client, "/matters/")
    assert count > 0
    assert "老旧小区改造资金分担办法" in response.content.decode()


def test_moderating_opinions_drops_cached_pages():
    """Moderation writes with QuerySet.update, which sends no model signal."""
    period = make_period()
    opinion = opinion_submit(period=period, content="建议在社区增设长者食堂。")
    before = content_cache.generation()

    opinions_moderate(
        period=period,
        by=period.matter.created_by,
        opinion_ids=[opinion.pk],
        moderation=Opinion.Moderation.SHOWN,
    )

    assert content_cache.generation() > before


def test_an_opinion_waiting_for_moderation_keeps_the_cached_pages(client):
    """The common write of a busy consultation shows nowhere until moderated: cached
    pages stay (a burst of submissions must not empty the cache), the matter's date moves
    for API clients, and an opinion saved in any other way still drops the pages."""
    period = make_period()
    matter = period.matter
    url = "/matters/"
    queries_of(client, url)
    before = content_cache.generation()
    touched = Matter.objects.get(pk=matter.pk).updated_at

    opinion = opinion_submit(period=period, content="建议在社区增设长者食堂。")

    assert content_cache.generation() == before
    assert queries_of(client, url)[0] == 0  # still served from the cache
    assert Matter.objects.get(pk=matter.pk).updated_at > touched

    opinion.article = "第三条"
    opinion.save()  # e.g. an edit in the admin

    assert content_cache.generation() > before


def test_staff_pages_are_never_served_from_the_cache(client):
    make_published_matter("社区养老服务设施布局规划")
    client.force_login(StaffFactory())

    queries_of(client, "/matters/")
    again, _ = queries_of(client, "/matters/")

    assert again > 0


@pytest.fixture
def calls():
    from . import cache_urls

    cache_urls.CALLS.clear()
    return cache_urls.CALLS


@pytest.mark.urls("tests.matters.cache_urls")
def test_a_page_with_a_form_is_not_stored(client, calls):
    """A form carries this visitor's CSRF token: it must never reach the next visitor."""
    first = client.get("/form/")
    Client().get("/form/")

    assert "csrfmiddlewaretoken" in first.content.decode()
    assert len(calls) == 2


@pytest.mark.urls("tests.matters.cache_urls")
def test_a_marked_page_is_stored_per_address_and_language(calls):
    Client().get("/list/?page=1")
    Client().get("/list/?page=1")
    second = Client().get("/list/?page=2")
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english.get("/list/?page=1")

    assert calls == ["/list/?page=1", "/list/?page=2", "/list/?page=1"]
    assert second.content == b"/list/?page=2"


@pytest.mark.urls("tests.matters.cache_urls")
def test_a_page_not_marked_public_is_never_stored(calls):
    Client().get("/unmarked/")
    Client().get("/unmarked/")

    assert len(calls) == 2


@pytest.mark.urls("tests.matters.cache_urls")
def test_a_visitor_with_a_session_is_not_served_from_the_cache(calls):
    Client().get("/list/")
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    with_session.get("/list/")

    assert len(calls) == 2


def test_a_cached_page_keeps_the_headers_the_middleware_gave_it(client):
    make_published_matter("社区养老服务设施布局规划")
    first = client.get("/matters/")

    again = client.get("/matters/")

    for header in ("Content-Language", "Vary", "X-Frame-Options", "Content-Type"):
        assert again[header] == first[header], header


def test_with_the_page_and_fragment_caches_off_every_request_reads_the_database(client, settings):
    settings.PORTAL_PAGE_CACHE = False
    settings.PORTAL_FRAGMENT_CACHE = False
    make_published_matter("社区养老服务设施布局规划")

    queries_of(client, "/matters/")
    again, _ = queries_of(client, "/matters/")

    assert again > 0


class BrokenCache:
    """A cache server that cannot be reached."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_pages_and_changes_still_work_when_the_cache_is_down(client, monkeypatch):
    monkeypatch.setattr(content_cache, "cache", BrokenCache())
    matter = make_matter(title="社区养老服务设施布局规划")

    matter_publish(matter=matter, by=matter.created_by)  # bumps: must not raise

    assert content_cache.generation() is None
    assert "社区养老服务设施布局规划" in client.get("/matters/").content.decode()
    assert client.get("/api/v1/matters/").json()["count"] == 1


def test_the_api_total_is_counted_once_until_the_data_changes(client):
    make_published_matter("社区养老服务设施布局规划")
    first, response = queries_of(client, "/api/v1/matters/")
    again, _ = queries_of(client, "/api/v1/matters/?page_size=10")
    assert response.json()["count"] == 1
    assert again == first - 1  # no count

    make_published_matter("老旧小区改造资金分担办法")

    count, response = queries_of(client, "/api/v1/matters/")
    assert count == first
    assert response.json()["count"] == 2


def test_different_filters_have_different_totals(client):
    make_published_matter("社区养老服务设施布局规划")
    make_published_matter("老旧小区改造资金分担办法")

    assert client.get("/api/v1/matters/").json()["count"] == 2
    assert client.get("/api/v1/matters/?q=养老").json()["count"] == 1
    assert client.get("/api/v1/matters/?year=2025").json()["count"] == 0
    assert client.get("/api/v1/matters/").json()["count"] == 2


def test_an_unpublished_change_bumps_the_generation_too():
    before = content_cache.generation()

    make_matter(title="内部草拟事项")

    latest = content_cache.generation()
    assert latest > before
    cache.delete(content_cache.GENERATION_KEY)  # evicted: starts again, above any before
    assert content_cache.generation() > latest


def test_public_pages_carry_no_csrf_token(client):
    """A token in a page would make it this visitor's alone and keep it out of the cache."""
    make_published_matter("社区养老服务设施布局规划")

    for url in ("/", "/matters/", "/catalogs/2026/", "/search/?q=养老"):
        response = client.get(url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert not response.cookies, url


def test_the_language_switch_works_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/matters/"})

    assert response.status_code == 302
    assert response["Location"] == "/matters/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.urls("tests.matters.cache_urls")
def test_other_addresses_do_not_ask_the_cache(client, monkeypatch, calls):
    """The API and unmarked pages are spared a round trip to the cache."""
    asked = []
    real = content_cache.page_lookup
    monkeypatch.setattr(
        "core.middleware.page_lookup",
        lambda *args, **kwargs: asked.append(args[0].path) or real(*args, **kwargs),
    )

    client.get("/unmarked/")
    client.get("/list/")

    assert asked == ["/list/"]
    assert not PublicPageCacheMiddleware.public_view(RequestFactory().get("/no-such-page/"))


@pytest.mark.urls("tests.matters.cache_urls")
def test_an_address_is_resolved_for_the_page_cache_once(monkeypatch):
    """Django resolves every request to call its view; the page cache's own resolution
    is kept per URLconf and path."""
    resolved = []
    real = middleware.resolve
    monkeypatch.setattr(
        middleware, "resolve", lambda path, urlconf: resolved.append(path) or real(path, urlconf)
    )
    middleware._resolves_to_public_view.cache_clear()
    try:
        for _ in range(3):
            assert PublicPageCacheMiddleware.public_view(RequestFactory().get("/list/"))
            assert not PublicPageCacheMiddleware.public_view(RequestFactory().get("/unmarked/"))
        with override_settings(ROOT_URLCONF="consult_portal.urls"):
            assert not PublicPageCacheMiddleware.public_view(RequestFactory().get("/list/"))
    finally:
        middleware._resolves_to_public_view.cache_clear()

    assert resolved == ["/list/", "/unmarked/", "/list/"]


def test_a_page_stored_by_a_head_request_is_served_whole_to_the_next_get(client):
    make_published_matter("社区养老服务设施布局规划")

    head = client.head("/matters/")
    count, response = queries_of(client, "/matters/")

    assert head.status_code == 200
    assert head.content == b""
    assert count == 0  # the HEAD stored the page
    assert "社区养老服务设施布局规划" in response.content.decode()
