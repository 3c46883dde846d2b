"""The service markers (tests/service_markers.py): where PostgreSQL or Redis is missing
their tests are deselected and the summary says so; on CI nothing is left out.

Each test runs pytest in process on a small suite of its own, with the real markers from
pyproject.toml and the real plugin; only the answers about the services are set here
(which database, which REDIS_URL), except where the real Redis probe is the point."""

import pytest

from tests import service_markers

SUITE = """
import pytest

def test_plain(): pass

@pytest.mark.postgres
def test_row_locks(): pass

@pytest.mark.postgres
def test_trigger(): pass

@pytest.mark.redis
def test_cache(): pass

@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.postgres
def test_worker(): pass

@pytest.mark.slow
def test_slow(): pass
"""
POSTGRES_LINE = (
    "deselected 3 tests marked postgres: the database is SQLite "
    "(set DATABASE_URL=postgres://... to run them)"
)
REDIS_LINE = (
    "deselected 2 tests marked redis or worker: REDIS_URL is not set "
    "(set REDIS_URL=redis://127.0.0.1:6379/0 to run them)"
)


@pytest.fixture
def suite(pytester, request, monkeypatch):
    markers = "\n".join(f"    {line}" for line in request.config.getini("markers"))
    pytester.makeini(f"[pytest]\naddopts = --strict-markers\nmarkers =\n{markers}\n")
    pytester.makeconftest('pytest_plugins = ["tests.service_markers"]')
    pytester.makepyfile(test_suite=SUITE)
    monkeypatch.delenv("CI", raising=False)

    def run(*args, database="SQLite", redis_url="", real_redis_probe=False):
        monkeypatch.setattr(service_markers, "database", lambda: database)
        monkeypatch.setattr(service_markers, "redis_url", lambda: redis_url)
        if not real_redis_probe:
            monkeypatch.setattr(service_markers, "redis_answers", lambda url: True)
        # The suite's own run: not Django's test runner, which the outer run already is.
        return pytester.runpytest_inprocess("-p", "no:django", "-p", "no:cacheprovider", *args)

    return run


def test_on_sqlite_without_redis_the_service_tests_are_deselected_and_counted(suite):
    result = suite()

    result.assert_outcomes(passed=2, deselected=4)
    result.stdout.fnmatch_lines([POSTGRES_LINE, REDIS_LINE])


def test_with_postgresql_and_redis_nothing_is_deselected(suite):
    result = suite(database="PostgreSQL", redis_url="redis://127.0.0.1:6379/12")

    result.assert_outcomes(passed=6, deselected=0)
    result.stdout.no_fnmatch_line("deselected * marked *")


def test_only_the_missing_service_s_tests_are_left_out(suite):
    result = suite(database="PostgreSQL")

    result.assert_outcomes(passed=4, deselected=2)
    result.stdout.fnmatch_lines([REDIS_LINE])
    result.stdout.no_fnmatch_line("*marked postgres*")


def test_counts_are_of_the_tests_m_left_to_run(suite):
    result = suite("-m", "not slow and not worker")

    result.assert_outcomes(passed=1, deselected=5)
    result.stdout.fnmatch_lines(
        [
            "deselected 2 tests marked postgres: the database is SQLite*",
            "deselected 1 test marked redis or worker: REDIS_URL is not set*",
        ]
    )


def test_slow_tests_run_unless_left_out_with_m(suite):
    suite("-k", "slow").assert_outcomes(passed=1, deselected=5)
    suite("-k", "slow", "-m", "not slow").assert_outcomes(passed=0, deselected=6)


def test_on_ci_a_missing_service_stops_the_run_instead(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")

    result = suite()

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: CI runs every test on real services, but some are missing:",
            "  would deselect 3 tests marked postgres: the database is SQLite*",
            "  would deselect 2 tests marked redis or worker: REDIS_URL is not set*",
        ]
    )
    result.stdout.no_fnmatch_line("*[0-9] passed*")


def test_on_ci_with_every_service_everything_runs(suite, monkeypatch):
    monkeypatch.setenv("CI", "true")

    result = suite(database="PostgreSQL", redis_url="redis://127.0.0.1:6379/12")

    result.assert_outcomes(passed=6, deselected=0)


def test_a_redis_url_where_nothing_answers_stops_the_run(suite):
    # The real probe, against a port where nothing listens: a refused connection.
    result = suite(
        database="PostgreSQL", redis_url="redis://:secret@127.0.0.1:1/0", real_redis_probe=True
    )

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: REDIS_URL names redis://:***@127.0.0.1:1/0 but no Redis answers there: "
            "start Redis, or unset REDIS_URL to leave out the tests that need it"
        ]
    )
    assert "secret" not in result.stdout.str() + result.stderr.str()


def test_a_run_that_needs_no_redis_does_not_ask_it(suite):
    result = suite(
        "-m", "not redis and not worker",
        database="PostgreSQL", redis_url="redis://127.0.0.1:1/0", real_redis_probe=True,
    )  # fmt: skip

    result.assert_outcomes(passed=4, deselected=2)
    result.stdout.no_fnmatch_line("deselected * marked *")
