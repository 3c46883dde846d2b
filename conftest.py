import pytest

# Tests marked postgres, redis or worker are deselected where the service is missing, and
# stop the run on CI (tests/service_markers.py); pytester tests that logic.
pytest_plugins = ["pytester", "tests.service_markers"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes uploads to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roles(db):
    """The role groups, as the data migration created them."""
    from django.contrib.auth.models import Group

    return {group.name: group for group in Group.objects.all()}


@pytest.fixture(autouse=True)
def django_db_serialized_rollback():
    """Serialized rollback for every transactional test (live server, row-lock races).

    Such a test flushes the database afterwards, which would take away the rows the data
    migrations made (role groups, policy areas) from every test that follows; restoring
    the serialized contents keeps them. Plain tests roll back and are not affected.
    """
    return None


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    """Every test starts on a new content generation: no page or total cached by an
    earlier test (whose rows were rolled back) can be served to it. A bump, not a flush:
    on Redis the cache shares its server with the broker tests' queues."""
    from core.content_cache import bump_generation

    bump_generation()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """The public forms' per-address counts start at zero for the test client's address
    (127.0.0.1) in every test, as they would for a new visitor: without this, tests that
    submit forms would share one count in the (process- or Redis-wide) cache."""
    import contextlib
    import time

    from django.core.cache import cache

    from participation.ratelimit import address_hash, rate_key

    client = address_hash("127.0.0.1")
    now = time.time()
    keys = [
        rate_key(scope, client, int(now // max(int(window), 1)))
        for scope, window in (
            ("opinion", settings.PORTAL_OPINION_RATE_WINDOW),
            ("registration", settings.PORTAL_REGISTRATION_RATE_WINDOW),
        )
    ]
    # The API's anonymous limit counts the test client's address per minute too
    # (api/throttling.py): every test starts that minute's count afresh, as a new visitor.
    keys.append(f"throttle_anon_127.0.0.1:{int(now // 60)}")
    # The security audit's bound on refusal rows counts per address and minute too.
    keys.append(f"audit-refusals:127.0.0.1:{int(now // 60)}")
    with contextlib.suppress(Exception):  # a test may take the cache away on purpose
        cache.delete_many(keys)


@pytest.fixture(autouse=True)
def _policy_from_settings():
    """Every test starts with no security administrator's values (the table is empty): the
    sign-in policy is the settings', which a test may change."""
    import contextlib

    from accounts import policy

    with contextlib.suppress(Exception):  # a test may take the cache away on purpose
        policy.remember({})
