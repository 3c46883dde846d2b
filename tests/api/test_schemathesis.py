"""The open API keeps the promises of its own schema, whatever a client sends.

Schemathesis reads the live schema (/api/schema/) from the application in process and,
for every operation, sends the schema's examples, its boundary and invalid values
(the coverage phase) and a bounded number of generated requests, valid and invalid,
once anonymously and once with a staff token. Every answer must be a documented status
with a documented content type, a body valid against the schema and the documented
headers, and never a server error. The run is derandomized, so CI sees the same requests
every time; a failure prints the request to replay (see test_fuzz_regressions.py for the
bugs it found).
"""

import datetime
import os
import re
import secrets

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Department
from annual_plans.models import AnnualPlan, PlanItem
from api.throttling import WindowThrottleMixin
from matters import services as matter_services
from matters.models import Document, Matter
from participation.models import Activity, Opinion
from participation.services.comments import opinion_record, opinions_dispose
from participation.services.feedback import feedback_publish
from proposals.models import Proposal
from tests.factories import (
    MINIMAL_PDF,
    DepartmentFactory,
    GeneralOfficeFactory,
    StaffFactory,
    make_activity,
    make_matter,
    make_period,
    make_plan,
)
from tests.proposals.public_support import Desk

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Not run: positive_data_acceptance, since values the schema allows one by one may still
# be refused together or by what exists (an unknown department code, paging=cursor with
# page), with a documented 400; and negative_data_rejection, since an empty value means
# "not given" (kind=, page_size=) and CSV, being unpaged, ignores the paging parameters,
# both by design, which that check would report as invalid requests accepted.

# Generated requests per operation and client, on top of the explicit ones (the schema's
# examples and the coverage phase's boundary values). Twelve operations, two clients; set
# API_FUZZ_EXAMPLES to search deeper locally.
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "50"))


# The schema as the application serves it, loaded in process when the module is collected
# (generating it reads no data; schemathesis.pytest.from_fixture, which would load it in a
# fixture, fails on pytest 9.2). Requests go through Django's WSGI handler in this
# process, on the test's database connection.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    get_wsgi_application(),
    config=schemathesis.Config.from_dict({"seed": 20260331}),
)

# A paginator given an unordered queryset only warns; here that is a failure (a 500),
# since pages of an unordered list may repeat or skip rows.
pytestmark = pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")

# The ids of the objects the data fixture made, by resource ("matters", ...).
KNOWN_IDS: dict[str, list[int]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Detail requests mostly name objects that exist (public, internal, other
    departments'), so their full bodies are checked too, not only the 404s."""
    found = re.search(r"/([a-z-]+)/\{id\}/$", context.operation.path)
    known = KNOWN_IDS.get(found.group(1), []) if found else []
    if not known:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, *({**path_parameters, "id": str(pk)} for pk in known)])


def _published_matter_with_parts(staff):
    """A published matter with public and internal steps, documents and drafts."""
    matter = make_matter(by=staff, title="关于完善城市更新政策的协商事项")
    today = timezone.localdate()
    step = matter_services.step_record(
        matter=matter,
        by=staff,
        step_type="public_participation",
        occurred_on=today - datetime.timedelta(days=3),
        responsible_person="王丽",
        summary="在政府网站公开征求意见三十日。",
    )
    matter_services.step_record(
        matter=matter,
        by=staff,
        step_type="expert_argumentation",
        occurred_on=today,
        responsible_person="王丽",
        summary="内部论证，不公开。",
        is_public=False,
        evidenced=True,  # typed before 专家论证 was held in the portal
    )
    for title, is_public in (("征求意见稿", True), ("内部材料", False)):
        matter_services.document_attach(
            matter=matter,
            by=staff,
            upload=SimpleUploadedFile("草案.pdf", MINIMAL_PDF),
            title=title,
            category=Document.Category.DRAFT,
            is_public=is_public,
            step=step,
        )
    draft = matter_services.draft_add(
        matter=matter,
        by=staff,
        title="青岛市城市更新条例（草案）",
        text="第一条 为了推进城市更新……",
        change_note="初稿",
    )
    matter_services.draft_publish(draft=draft, by=staff)
    matter_services.draft_add(
        matter=matter, by=staff, title="第二稿", text="第一条 ……", change_note="未公开的修改稿"
    )
    return matter_services.matter_publish(matter=matter, by=staff), draft


def _build_api_data():
    """Two departments' worth of published and internal data, built by the services."""
    office = GeneralOfficeFactory()
    own = DepartmentFactory(code="zjj", name="青岛市住房和城乡建设局", short_name="市住建局")
    other = DepartmentFactory(code="sfj", name="青岛市司法局", short_name="市司法局")
    DepartmentFactory(code="old", name="已撤销的局", is_active=False)
    staff = StaffFactory(department=own)
    other_staff = StaffFactory(department=other)

    # An open comment period with an opinion on a matter with every public part.
    matter, draft = _published_matter_with_parts(staff)
    open_period = make_period(matter=matter, by=staff, draft=draft)
    opinion_record(
        period=open_period,
        by=staff,
        channel=Opinion.Channel.LETTER,
        received_on=timezone.localdate(),
        content="建议明确老旧小区改造资金的分担比例。",
        author_name="赵六六",
        contact="13912345678",
    )

    # A closed period whose feedback report is published, on a legislative matter.
    now = timezone.now()
    closed = make_period(
        by=other_staff,
        kind="legislative",
        title="青岛市物业管理条例（修订草案）",
        starts_at=now - datetime.timedelta(days=40),
        days=30,
    )
    dispositions = [
        ("adopted", ""),
        ("partly_adopted", "部分采纳，已修改第五条。"),
        ("not_adopted", "与上位法不一致。"),
        ("out_of_scope", "不属于本草案调整范围。"),
    ]
    for channel, (disposition, response) in zip(
        ("letter", "hotline", "symposium", "letter"), dispositions, strict=True
    ):
        opinion = opinion_record(
            period=closed,
            by=other_staff,
            channel=channel,
            received_on=timezone.localdate() - datetime.timedelta(days=20),
            content="对第五条的意见。",
        )
        opinions_dispose(
            period=closed,
            by=other_staff,
            opinion_ids=[opinion.pk],
            disposition=disposition,
            response=response,
        )
    feedback_publish(period=closed, by=other_staff, summary="共收到意见四条，采纳一条。")

    # Unpublished matters: the staff token sees its own department's, nobody the other's.
    make_matter(by=staff, title="本部门尚未公开的事项", kind="key_matter")
    make_matter(by=other_staff, title="他部门尚未公开的事项", kind="budget")

    # Catalogs: published with items, an explicitly empty one, and internal ones.
    make_plan(department=own, year=2026, items=3, status="published")
    make_plan(department=other, year=2026, items=0, status="published")
    make_plan(department=own, year=2027, items=2, status="draft")
    make_plan(department=other, year=2027, items=1, status="submitted")

    # Activities: announced and held in public, and one still being planned.
    make_activity(matter=matter, by=staff, status="notice_published")
    make_activity(
        matter=matter,
        by=staff,
        kind="hearing",
        status="minutes_published",
        starts_in=datetime.timedelta(days=-5),
    )
    make_activity(matter=matter, by=staff, status="planned", title="尚未发布公告的座谈会")

    # Suggestions and proposals: public and replied in two rounds, public in handling, the
    # staff token's own non-public one, another department's non-public one, unassigned.
    own_desk, other_desk = Desk(own), Desk(other)
    own_desk.staff = staff
    own_desk.second_round_replied(private_authors=True)
    own_desk.handling(kind="proposal")
    own_desk.handling(is_public=False)
    other_desk.handling(is_public=False)
    own_desk.registered()

    token = Token.objects.create(user=staff)
    return {"office": office, "staff": staff, "token": token.key}


def _known_ids() -> dict[str, list[int]]:
    def ids(model):
        return sorted(model.objects.values_list("pk", flat=True))

    return {
        "matters": ids(Matter),
        "catalogs": ids(AnnualPlan),
        "catalog-items": ids(PlanItem),
        "activities": ids(Activity),
        "proposals": ids(Proposal),
        "departments": ids(Department),
    }


@pytest.fixture(scope="module")
def api_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The data, built once for the module's twenty tests and rolled back after them.

    Each test still runs in its own transaction (a savepoint inside this one); the API
    only reads, so the tests cannot disturb each other.
    """
    media = tmp_path_factory.mktemp("api-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        data = _build_api_data()
        KNOWN_IDS.update(_known_ids())
        yield data
        KNOWN_IDS.clear()
        transaction.set_rollback(True)


@pytest.fixture
def api_headers(client_role, api_data, db, settings):
    # Fuzzing sends thousands of requests a minute; the limits stay on (429 is in the
    # schema and checked), set high enough that generated requests are not refused.
    settings.PORTAL_API_ANON_RATE = "100000/min"
    settings.PORTAL_API_USER_RATE = "100000/min"
    if client_role == "anonymous":
        return {}
    return {"Authorization": f"Token {api_data['token']}"}


@pytest.fixture(autouse=True)
def in_process_db():
    """Let the in-process application use the test's connection and transaction.

    Django's handler closes "old" connections when a request starts and finishes, which
    inside the test transaction would drop it; Django's own test client disconnects the
    same receivers for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow  # many generated requests per operation
@schema.parametrize()
@pytest.mark.parametrize("client_role", ["anonymous", "staff"])
@settings(
    max_examples=MAX_EXAMPLES,
    # The schema's examples and the coverage phase's values, then generated requests;
    # a failure is shrunk to the smallest request that shows it.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, api_headers):
    case.call_and_validate(headers=api_headers, checks=CHECKS)


# The refusals that generated requests never provoke (a bad token, an Accept header the
# API cannot meet, too many requests) must be documented just the same.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


def _case(operation, **kwargs):
    path_parameters = {"id": "1"} if "{id}" in operation.path else {}
    return operation.Case(path_parameters=path_parameters, **kwargs)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_refusals_are_as_documented(operation, db, settings, monkeypatch):
    settings.PORTAL_API_ANON_RATE = "100000/min"
    settings.PORTAL_API_USER_RATE = "100000/min"
    bad_token = _case(operation, headers={"Authorization": "Token not-a-token"})
    assert bad_token.call_and_validate(checks=CHECKS).status_code == 401
    xml = _case(operation, headers={"Accept": "application/xml"})
    assert xml.call_and_validate(checks=CHECKS).status_code == 406

    settings.PORTAL_API_ANON_RATE = "1/min"
    # A minute of its own, away from the earlier requests of the in-process client's
    # address (the WSGI test client's 127.0.0.1), without clearing a cache that may be a
    # shared Redis.
    minute = (secrets.randbelow(10**9) + 10**8) * 60 + 30.0
    monkeypatch.setattr(WindowThrottleMixin, "timer", staticmethod(lambda: minute))
    _case(operation).call_and_validate(checks=CHECKS)
    throttled = _case(operation).call_and_validate(checks=CHECKS)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"][0]) > 0
