"""manage.py bench: its table, its Markdown file, wrk's report, and the bench-only URLs."""

import importlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import Resolver404, resolve

from bench.cases import load
from bench.cases.results import (
    Row,
    machine,
    markdown_document,
    markdown_table,
    percentile,
    summary,
    text_table,
    time_side_by_side,
)

ROWS = [
    Row(group="api", case="baseline", median_ms=2.0, p95_ms=3.0, queries=1, ratio=1.0),
    Row(
        group="api",
        case="API a|b",
        median_ms=4.0,
        p95_ms=5.5,
        queries=3,
        baseline="2.0 ms",
        ratio=2.0,
        target="≤2.5× baseline",
        passed=True,
    ),
    Row(
        group="pdf",
        case="catalog",
        median_ms=3210.0,
        p95_ms=3300.0,
        peak_mb=250.4,
        target="median ≤2.5 s",
        passed=False,
    ),
]

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    17.01ms    4.10ms  60.00ms   80.00%
    Req/Sec     1.45k   120.00     1.70k    70.00%
  Latency Distribution
     50%   16.70ms
     75%   18.00ms
     90%   21.00ms
     99%    1.20s
  14400 requests in 5.00s, 4.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   2881.40
Transfer/sec:    820.00KB
"""


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 21)]
    assert percentile(samples, 0.95) == 19.0
    assert percentile(samples, 0.5) == 10.0
    assert percentile([7.0], 0.95) == 7.0


def test_text_table_has_one_line_per_row_and_the_results():
    table = text_table(ROWS).splitlines()
    assert len(table) == 2 + len(ROWS)
    assert table[0].split()[:3] == ["group", "case", "median"]
    assert "3,210 ms" in table[-1]
    assert table[-1].endswith("FAIL")
    assert table[-2].endswith("PASS")
    assert table[2].rstrip().endswith("-")  # no target, no verdict


def test_markdown_table_escapes_pipes_and_marks_failures():
    table = markdown_table(ROWS).splitlines()
    assert table[0].startswith("| group | case | median |")
    assert "API a\\|b" in table[3]
    assert table[-1].endswith("| **FAIL** |")
    assert summary(ROWS) == "1 of 2 targets met; 1 FAIL"


@pytest.mark.django_db
def test_markdown_document_names_the_machine_and_commit():
    info = machine()
    assert {"date", "cpu", "cores", "memory", "database", "python", "commit"} <= set(info)
    document = markdown_document(ROWS, info=info, notes=["a note"], command="manage.py bench")
    assert document.startswith("# Performance")
    for key in ("date", "cpu", "database", "python"):
        assert info[key] in document
    assert f"`{info['commit']}`" in document
    assert "- a note" in document


def test_wrk_report_is_read():
    result = load.parse_wrk(WRK_OUTPUT)
    assert result.rps == 2881.40
    assert result.p50_ms == pytest.approx(16.7)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.requests == 14400
    assert (result.non_2xx, result.socket_errors, result.errors) == (4, 5, 9)
    assert result.errors_text() == "9 errors (4 non-2xx/3xx; socket read 2, timeout 3)"


def test_unreadable_wrk_report_is_an_error():
    with pytest.raises(CommandError):
        load.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


def test_hello_view_is_not_in_the_production_urls():
    with pytest.raises(Resolver404):
        resolve("/bench/hello/", urlconf="consult_portal.urls")
    assert resolve("/bench/hello/", urlconf="bench.urls").url_name == "bench_hello"
    # The portal's own URLs are all still there in the bench URLs.
    assert resolve("/matters/", urlconf="bench.urls").view_name == ("matters:public_list")


@override_settings(ROOT_URLCONF="bench.urls")
def test_hello_view_answers(client):
    response = client.get("/bench/hello/")
    assert response.status_code == 200
    assert response.content == b"hello"


def test_bench_settings_are_production_with_the_bench_urls(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only")  # production refuses to start without one
    bench = importlib.import_module("consult_portal.settings.bench_server")
    production = importlib.import_module("consult_portal.settings.production")
    assert bench.ROOT_URLCONF == "bench.urls"
    assert production.ROOT_URLCONF == "consult_portal.urls"
    assert bench.DEBUG is False
    assert bench.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert bench.STORAGES == production.STORAGES
    assert bench.MIDDLEWARE == production.MIDDLEWARE


def test_unknown_group_is_refused():
    with pytest.raises(CommandError, match="Unknown group"):
        call_command("bench", only="api,nonsense", no_write=True)


def test_a_case_and_its_baseline_take_turns():
    order = []
    first, second = time_side_by_side(
        lambda: order.append("a"), lambda: order.append("b"), runs=4, warmup=1
    )
    assert order == ["a", "b", "a", "b", "b", "a", "a", "b", "b", "a"]
    assert len(first) == len(second) == 4


def test_only_the_bench_and_test_settings_install_the_bench_app(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only")
    for name in ("production", "local", "bench_server"):
        module = importlib.import_module(f"consult_portal.settings.{name}")
        assert "bench" not in module.INSTALLED_APPS, name
    assert "bench" in importlib.import_module("consult_portal.settings.bench").INSTALLED_APPS
