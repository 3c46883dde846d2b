"""The nightly open-data archive, its task and command, and the download pages."""

import csv
import datetime
import io
import json
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api import opendata
from api.tasks import build_open_data_archive
from calls import services as call_services
from consult_portal.schedules import BEAT_SCHEDULE
from matters.services import matter_publish
from tests.factories import ReviewerFactory, make_activity, make_matter, make_plan
from tests.proposals.public_support import PRIVATE_STRINGS, RATING_COMMENT, Desk

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 02:30 in Qingdao is still the previous day in UTC; the name follows the local date.
NIGHT = datetime.datetime(2026, 3, 14, 18, 30, tzinfo=datetime.UTC)
ARCHIVE = "consultation-opendata-20260315.zip"
FILES = {
    "matters.csv",
    "catalog-items.csv",
    "matters.json",
    "catalogs.json",
    "activities.json",
    "departments.json",
    "calls.json",
    "proposals.csv",
    "proposals.json",
    "README.txt",
}


@pytest.fixture
def base_url(settings):
    """Links in the archive use PORTAL_BASE_URL; make it the test client's host, so the
    archive can be compared with what the API answers."""
    settings.PORTAL_BASE_URL = "http://testserver"


def published_matter(**fields):
    matter = make_matter(**fields)
    return matter_publish(matter=matter, by=matter.created_by)


@pytest.fixture
def data():
    """Published and unpublished matters, catalogs and activities."""
    public = published_matter(title="关于调整公共停车场收费标准的协商")
    formula = published_matter(title="=1+1", department=public.department)
    hidden = make_matter(title="尚未公开的事项", department=public.department)
    published_plan = make_plan(status="published", items=2)
    accepted_plan = make_plan(status="accepted", items=3)
    activity = make_activity(matter=public, status="notice_published", title="停车收费座谈会")
    hidden_activity = make_activity(matter=hidden, status="notice_published", title="内部座谈会")
    office = ReviewerFactory()
    now = timezone.now()
    call = call_services.call_create(
        by=office,
        department=office.department,
        kind="topics",
        title="年度政府协商议题征集",
        year=now.year + 1,
        scope="范围。",
        guidance="说明。",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    call_services.call_publish(call=call, by=office)
    call_services.submission_submit(
        call=call, title="议题", reasons="理由。", author_name="张先生", contact="13900000000"
    )
    return {
        "public": public,
        "formula": formula,
        "hidden": hidden,
        "published_plan": published_plan,
        "accepted_plan": accepted_plan,
        "activity": activity,
        "hidden_activity": hidden_activity,
    }


def read(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def make_archive_file(settings, day: datetime.date) -> str:
    folder = settings.MEDIA_ROOT / "opendata"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"consultation-opendata-{day:%Y%m%d}.zip"
    with zipfile.ZipFile(folder / name, "w") as archive:
        archive.writestr("README.txt", "old")
    return name


# ----------------------------------------------------------------------------- the archive


def test_archive_is_written_under_media_with_every_file(settings, data):
    path = opendata.build_archive(now=NIGHT)

    assert path == settings.MEDIA_ROOT / "opendata" / ARCHIVE
    assert set(read(path)) == FILES
    assert [p.name for p in path.parent.iterdir()] == [ARCHIVE]  # no temporary file left


def test_archive_name_uses_the_prefix_setting(settings):
    settings.PORTAL_OPENDATA_PREFIX = "qingdao-consultation-opendata"
    path = opendata.build_archive(now=NIGHT)
    assert path.name == "qingdao-consultation-opendata-20260315.zip"
    assert opendata.archive_path(path.name) == path


def test_archive_holds_only_published_data(data):
    files = read(opendata.build_archive(now=NIGHT))

    matters = json.loads(files["matters.json"])
    assert {m["id"] for m in matters} == {data["public"].pk, data["formula"].pk}
    assert all(m["is_published"] for m in matters)
    matter_rows = csv_rows(files["matters.csv"])
    assert {int(row["编号"]) for row in matter_rows} == {data["public"].pk, data["formula"].pk}
    assert "尚未公开的事项" not in files["matters.csv"].decode("utf-8-sig")

    catalogs = json.loads(files["catalogs.json"])
    assert [c["id"] for c in catalogs] == [data["published_plan"].pk]
    assert len(catalogs[0]["items"]) == 2
    item_rows = csv_rows(files["catalog-items.csv"])
    assert {int(row["目录编号"]) for row in item_rows} == {data["published_plan"].pk}
    assert len(item_rows) == 2

    activities = json.loads(files["activities.json"])
    assert [a["title"] for a in activities] == ["停车收费座谈会"]


def test_csv_has_a_bom_and_formula_text_is_neutralised(data):
    files = read(opendata.build_archive(now=NIGHT))

    assert files["matters.csv"].startswith(b"\xef\xbb\xbf")
    assert files["catalog-items.csv"].startswith(b"\xef\xbb\xbf")
    titles = {row["事项名称"] for row in csv_rows(files["matters.csv"])}
    assert "'=1+1" in titles
    assert "=1+1" not in titles
    # JSON carries the text as it is: it is data, not a spreadsheet.
    assert "=1+1" in {m["title"] for m in json.loads(files["matters.json"])}


def test_csv_has_the_api_csv_columns(client, data):
    files = read(opendata.build_archive(now=NIGHT))
    api = client.get("/api/v1/matters/?format=csv")
    api_header = b"".join(api.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert files["matters.csv"].decode("utf-8-sig").splitlines()[0] == api_header

    api = client.get("/api/v1/catalog-items/?format=csv")
    api_header = b"".join(api.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert files["catalog-items.csv"].decode("utf-8-sig").splitlines()[0] == api_header


@pytest.mark.parametrize(
    ("filename", "endpoint"),
    [
        ("matters.json", "/api/v1/matters/"),
        ("catalogs.json", "/api/v1/catalogs/"),
        ("activities.json", "/api/v1/activities/"),
        ("departments.json", "/api/v1/departments/"),
        ("calls.json", "/api/v1/calls/"),
    ],
)
def test_json_is_what_the_api_answers_an_anonymous_client(
    client, base_url, data, filename, endpoint
):
    files = read(opendata.build_archive())
    archived = {row["id"]: row for row in json.loads(files[filename])}

    response = client.get(endpoint)
    assert response.status_code == 200
    answered = {row["id"]: row for row in response.json()["results"]}

    assert archived == answered
    assert archived  # the comparison is about real rows


@pytest.fixture
def proposals_data(db):
    desk = Desk()
    return {
        "replied": desk.second_round_replied(title="关于社区养老的建议", private_authors=True),
        "handling": desk.handling(title="关于学区划分的建议", kind="proposal"),
        "hidden": desk.replied(title="不公开的建议甲", is_public=False),
        "unassigned": desk.registered(title="尚未交办的建议乙"),
    }


def test_archive_holds_public_proposals_with_their_replies_and_no_contact_data(
    proposals_data,
):
    files = read(opendata.build_archive(now=NIGHT))

    items = json.loads(files["proposals.json"])
    replied, handling = proposals_data["replied"], proposals_data["handling"]
    assert [item["id"] for item in items] == [replied.pk, handling.pk]
    assert [r["round"] for r in items[0]["replies"]] == [1, 2]
    assert items[1]["replies"] == []
    rows = csv_rows(files["proposals.csv"])
    assert [int(row["编号"]) for row in rows] == [replied.pk, handling.pk]
    latest = replied.replies.get(round=2)
    assert rows[0]["答复函文号"] == latest.document_number
    assert rows[0]["答复分类"] == "B类：所提问题正在解决或列入计划逐步解决"
    assert rows[1]["答复函文号"] == ""
    everything = "".join(
        content.decode("utf-8-sig") for name, content in files.items() if name != "README.txt"
    )
    for hidden in ("不公开的建议甲", "尚未交办的建议乙", RATING_COMMENT):
        assert hidden not in everything
    assert [private for private in PRIVATE_STRINGS if private in everything] == []


def test_proposals_json_is_what_the_api_details_say(client, base_url, proposals_data):
    files = read(opendata.build_archive())
    for item in json.loads(files["proposals.json"]):
        assert client.get(f"/api/v1/proposals/{item['id']}/").json() == item


def test_readme_says_what_the_files_are_and_the_licence(data):
    readme = read(opendata.build_archive(now=NIGHT))["README.txt"].decode("utf-8")

    assert "生成时间：2026-03-15 02:30" in readme
    for name in FILES - {"README.txt"}:
        assert name in readme
    assert "matters.csv：已公开的协商事项" in readme
    assert "共 2 条" in readme
    assert "本数据由青岛市人民政府办公厅公开，可自由使用，请注明来源。" in readme


def test_building_costs_the_same_few_queries_however_many_rows(django_assert_max_num_queries, data):
    for n in range(3):
        published_matter(title=f"另一个公开事项{n}")
        make_plan(status="published", items=n + 1)

    desk = Desk()
    for _n in range(3):
        desk.replied()
    # Each file is one query per 2,000 rows, plus one per prefetched relation (the two
    # proposals files: the items, their authors, co-departments and replies).
    with django_assert_max_num_queries(18):
        opendata.build_archive(now=NIGHT)


def test_retention_keeps_the_newest_fourteen(settings):
    old = [
        make_archive_file(settings, datetime.date(2026, 3, 14) - datetime.timedelta(days=n))
        for n in range(16)
    ]
    folder = settings.MEDIA_ROOT / "opendata"
    (folder / "notes.txt").write_text("not an archive")

    opendata.build_archive(now=NIGHT)

    kept = sorted((p.name for p in folder.glob("*.zip")), reverse=True)
    assert kept == [ARCHIVE, *old[:13]]
    assert (folder / "notes.txt").exists()


def test_a_failed_build_leaves_the_previous_archive_and_no_partial_file(
    settings, data, monkeypatch
):
    path = opendata.build_archive(now=NIGHT)
    before = path.read_bytes()

    def broken(archive, *, now):
        archive.writestr("matters.csv", "half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(opendata, "_write_contents", broken)
    with pytest.raises(RuntimeError):
        opendata.build_archive(now=NIGHT)

    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [ARCHIVE]


def test_task_is_safe_to_run_twice(settings, data):
    build_open_data_archive.delay()
    build_open_data_archive.delay()

    archives = list((settings.MEDIA_ROOT / "opendata").iterdir())
    assert len(archives) == 1
    assert set(read(archives[0])) == FILES


def test_task_runs_nightly_at_half_past_two():
    entry = BEAT_SCHEDULE["opendata-build-archive"]
    assert entry["task"] == "api.tasks.build_open_data_archive"
    assert entry["schedule"].hour == {2}
    assert entry["schedule"].minute == {30}


def test_command_builds_the_archive_and_prints_path_and_size(settings):
    out = io.StringIO()
    call_command("build_open_data", stdout=out)

    [path] = (settings.MEDIA_ROOT / "opendata").iterdir()
    assert str(path) in out.getvalue()
    assert "KB" in out.getvalue() or "字节" in out.getvalue()


# ----------------------------------------------------------------------------- pages


def test_open_data_page_without_archives_shows_the_empty_state(client):
    response = client.get(reverse("opendata:index"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "暂无开放数据包，系统每晚自动生成。" in page
    assert 'href="/api/docs/"' in page
    assert 'href="/api/v1/"' in page
    assert 'href="/feeds/published.atom"' in page


def test_open_data_page_lists_archives_newest_first_with_size(client, settings):
    older = make_archive_file(settings, datetime.date(2026, 3, 1))
    newer = opendata.build_archive(now=NIGHT)

    page = client.get("/open-data/").content.decode()

    assert "暂无开放数据包" not in page
    assert page.index(f'href="/open-data/{ARCHIVE}"') < page.index(f'href="/open-data/{older}"')
    assert "2026年3月15日" in page
    size_kb = f"{newer.stat().st_size / 1024:.1f}"
    assert f"{size_kb}\xa0KB" in page  # filesizeformat keeps number and unit together
    assert 'href="/open-data/latest.zip"' in page


def test_public_navigation_links_to_open_data(client):
    page = client.get("/").content.decode()
    assert '<a href="/open-data/"' in page
    assert "开放数据" in page


def test_download_serves_an_archive_as_an_attachment(client, data):
    path = opendata.build_archive(now=NIGHT)

    response = client.get(f"/open-data/{ARCHIVE}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{ARCHIVE}"'
    assert b"".join(response.streaming_content) == path.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "/open-data/..%2Fsettings.py",
        "/open-data/..%2F..%2Fconsult_portal%2Fsettings%2Fbase.py",
        "/open-data/%2Fetc%2Fpasswd",
        "/open-data/foo.zip",
        "/open-data/notes.txt",
        "/open-data/consultation-opendata-20260399.zip",  # not a date
        "/open-data/consultation-opendata-20260301.zip",  # a name that is not on disk
        "/open-data/.building-abc.zip.part",
    ],
)
def test_download_refuses_anything_but_an_archive(client, settings, url):
    opendata.build_archive(now=NIGHT)
    folder = settings.MEDIA_ROOT / "opendata"
    (folder / "notes.txt").write_text("not an archive")
    (folder / ".building-abc.zip.part").write_text("half")
    (settings.MEDIA_ROOT / "settings.py").write_text("SECRET_KEY = 'x'")

    response = client.get(url)

    assert response.status_code == 404


def test_latest_redirects_to_the_newest_archive(client, settings):
    make_archive_file(settings, datetime.date(2026, 3, 1))
    opendata.build_archive(now=NIGHT)

    response = client.get("/open-data/latest.zip")

    assert response.status_code == 302
    assert response["Location"] == f"/open-data/{ARCHIVE}"
    assert client.get(response["Location"]).status_code == 200


def test_latest_is_not_found_without_archives(client):
    assert client.get("/open-data/latest.zip").status_code == 404


def test_archive_timestamps_are_local(data):
    path = opendata.build_archive(now=NIGHT)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("matters.json").date_time == (2026, 3, 15, 2, 30, 0)
    assert NIGHT.astimezone(SHANGHAI).date() == datetime.date(2026, 3, 15)
