"""/api/v1/surveys/: public surveys only, their status by the clock, the filters, and the
results — counts only, once they are public; never an answer's text or a respondent."""

import datetime

import pytest
from django.utils import timezone

from matters.services import matter_publish
from participation.models import Participant
from surveys import services
from surveys.models import PanelMember, Response, Survey
from tests.factories import make_matter, make_participant, make_survey, survey_answers

from .support import assert_error, ids, text_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/surveys/"
SECRET_TEXT = "我家住在香港中路一号请回电13800000000"


def detail(pk) -> str:
    return f"{LIST}{pk}/"


def closed_survey(*, responses=2, results_shown=Survey.ResultsShown.AFTER_CLOSE, **kw):
    """A published survey that was open from ten days ago to yesterday, with responses."""
    now = timezone.now()
    survey = make_survey(
        publish=False,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=1),
        results_shown=results_shown,
        **kw,
    )
    services.survey_publish(
        survey=survey, by=survey.created_by, now=now - datetime.timedelta(days=10)
    )
    for n in range(responses):
        services.response_submit(
            survey=survey,
            data=survey_answers(survey, field=n % 2, q_long=SECRET_TEXT),
            now=now - datetime.timedelta(days=5),
        )
    Survey.objects.filter(pk=survey.pk).update(closes_at=now - datetime.timedelta(days=1))
    survey.refresh_from_db()
    return survey


def test_list_row_has_the_documented_fields(client):
    matter = matter_publish(matter=(m := make_matter()), by=m.created_by)
    survey = make_survey(matter=matter, title="老旧小区改造意见问卷")

    body = client.get(LIST).json()

    assert body["count"] == 1
    row = body["results"][0]
    assert set(row) == {
        "id",
        "url",
        "title",
        "kind",
        "kind_label",
        "year",
        "matter",
        "department",
        "opens_at",
        "closes_at",
        "status",
        "response_count",
        "results_public",
        "results",
        "modified",
        "api_url",
    }
    assert row["id"] == survey.pk
    assert row["url"] == f"http://testserver/surveys/{survey.pk}/" or row["url"].endswith(
        f"/{survey.pk}/"
    )
    assert row["url"].startswith("http://testserver/")
    assert row["title"] == "老旧小区改造意见问卷"
    assert row["kind"] == "questionnaire"
    assert row["matter"] == {"id": matter.pk, "reference": matter.reference}
    assert row["department"]["id"] == matter.department_id
    assert row["status"] == "open"
    assert row["response_count"] == 0
    assert row["results_public"] is False
    assert row["results"] is None
    assert row["api_url"] == f"http://testserver{detail(survey.pk)}"


def test_only_public_surveys_are_listed(client, django_user_model):
    public = make_survey()
    draft = make_survey(publish=False)
    cancelled = make_survey()
    services.survey_cancel(survey=cancelled, by=cancelled.created_by, reason="重复发布")
    unpublished_matter = make_survey(matter=make_matter())

    assert ids(client.get(LIST)) == [public.pk]
    for hidden in (draft, cancelled, unpublished_matter):
        assert client.get(detail(hidden.pk)).status_code == 404


def test_offline_records_are_not_listed(client):
    survey = make_survey()
    Survey.objects.filter(pk=survey.pk).update(is_offline_record=True)

    assert ids(client.get(LIST)) == []


def test_results_are_null_until_public_then_counts_only(client):
    survey = closed_survey(responses=3)
    Survey.objects.filter(pk=survey.pk).update(results_shown=Survey.ResultsShown.STAFF_ONLY)

    staff_only = client.get(detail(survey.pk)).json()
    assert staff_only["status"] == "closed"
    assert staff_only["response_count"] == 3
    assert staff_only["results"] is None

    Survey.objects.filter(pk=survey.pk).update(results_shown=Survey.ResultsShown.AFTER_CLOSE)
    response = client.get(detail(survey.pk))
    body = response.json()
    assert body["results_public"] is True
    results = {item["kind"]: item for item in body["results"]}
    assert [item["question"] for item in body["results"]] == list(range(1, 9))
    single = results["single"]
    assert single["answered"] == 3
    assert [(o["label"], o["count"]) for o in single["options"]] == [
        ("教育", 2),
        ("养老", 1),
        ("其他（请注明）", 0),
    ]
    assert results["matrix"]["rows"][0]["options"][0] == {"label": "重要", "count": 3}
    assert results["ranking"]["options"][0] == {
        "label": "老旧小区改造",
        "count": 3,
        "points": 9,
        "mean_rank": 1.0,
    }
    assert results["number"]["mean"] == 1200
    assert results["rating"]["median"] == 4
    # Never an answer's text, in the list or the detail.
    for page in (response, client.get(LIST)):
        text = text_of(page)
        assert SECRET_TEXT not in text
        assert "青岛二中" not in text
        assert "希望多建口袋公园" not in text


def test_while_open_results_show_during_the_survey(client):
    survey = make_survey(results_shown=Survey.ResultsShown.WHILE_OPEN)
    services.response_submit(survey=survey, data=survey_answers(survey))

    body = client.get(detail(survey.pk)).json()

    assert body["status"] == "open"
    assert body["results"][0]["options"][0]["count"] == 1


def test_no_panel_member_appears(client):
    survey = make_survey(audience=Survey.Audience.BOTH)
    member = make_participant(
        name="王代表甲",
        category=Participant.Category.NPC_DEPUTY,
        email="wang.daibiao@example.cn",
        phone="13912345678",
    )
    seat = PanelMember.objects.create(
        survey=survey,
        participant=member,
        category=member.category,
        token_hash="0" * 64,
        created_by=survey.created_by,
    )
    services.response_submit(
        survey=survey,
        data=survey_answers(survey),
        channel=Response.Channel.PANEL,
        panel_member=seat,
    )
    Survey.objects.filter(pk=survey.pk).update(results_shown=Survey.ResultsShown.WHILE_OPEN)

    text = text_of(client.get(LIST)) + text_of(client.get(detail(survey.pk)))

    for private in ("王代表甲", "wang.daibiao", "13912345678", "npc_deputy"):
        assert private not in text


def test_filters_matter_status_and_modified_since(client):
    now = timezone.now()
    matter = matter_publish(matter=(m := make_matter()), by=m.created_by)
    on_matter = make_survey(matter=matter)
    planned = make_survey(
        opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=9)
    )
    closed = closed_survey(responses=1)
    Survey.objects.filter(pk=closed.pk).update(updated_at=now - datetime.timedelta(days=3))

    assert ids(client.get(LIST, {"matter": matter.pk})) == [on_matter.pk]
    assert ids(client.get(LIST, {"status": "planned"})) == [planned.pk]
    assert set(ids(client.get(LIST, {"status": "open"}))) == {on_matter.pk}
    assert ids(client.get(LIST, {"status": "closed"})) == [closed.pk]
    since = (now - datetime.timedelta(days=1)).isoformat()
    assert set(ids(client.get(LIST, {"modified_since": since}))) == {on_matter.pk, planned.pk}


@pytest.mark.parametrize(
    "parameters, field",
    [({"status": "draft"}, "status"), ({"matter": "abc"}, "matter"),
     ({"modified_since": "yesterday"}, "modified_since")],
)  # fmt: skip
def test_bad_filter_values_are_400_naming_them(client, parameters, field):
    assert_error(client.get(LIST, parameters), 400, field=field)


def test_status_at_the_clock_edges(client, monkeypatch):
    opens = timezone.now() + datetime.timedelta(days=1)
    closes = opens + datetime.timedelta(days=3)
    survey = make_survey(opens_at=opens, closes_at=closes)
    tick = datetime.timedelta(microseconds=1)

    for moment, status in [
        (opens - tick, "planned"),
        (opens, "open"),
        (closes - tick, "open"),
        (closes, "closed"),
    ]:
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        assert client.get(detail(survey.pk)).json()["status"] == status, moment
        assert ids(client.get(LIST, {"status": status})) == [survey.pk], moment


def test_list_query_count_does_not_grow_with_the_page(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _n in range(2):
        closed_survey(responses=1)
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get(LIST, {"status": "closed"}))) == 2
    for _n in range(4):
        closed_survey(responses=1)
    with CaptureQueriesContext(connection) as many:
        assert len(ids(client.get(LIST, {"status": "closed"}))) == 6

    assert 0 < len(many.captured_queries) == len(few.captured_queries) <= 8


def test_schema_describes_the_surveys_endpoint(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/surveys/" in schema["paths"]
    assert "/api/v1/surveys/{id}/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/surveys/"]["get"]["parameters"]}
    assert {"matter", "status", "modified_since"} <= names
