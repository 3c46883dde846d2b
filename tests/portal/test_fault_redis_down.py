"""With Redis down every user action still succeeds, quickly; reminders catch up later.

The cache and the Celery broker point at a port where nothing listens (a real refused
connection, no mock). Each step goes through the pages or the API as a user would and
checks the answer and the rows it wrote. Transactions really commit (transactional
database), so the after-commit enqueue of reminders and e-mails runs as in production.
"""

import datetime
import socket
import threading
import time
from collections import Counter
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from annual_plans.models import AnnualPlan
from consult_portal.celery import app as celery_app
from matters.models import LedgerEntry, Matter, PolicyArea
from occasions.services import scan
from participation.models import Activity, Invitation, Opinion, Registration
from reminders import services as reminder_services
from reminders.models import Reminder
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    LeaderFactory,
    ReviewerFactory,
    StaffFactory,
    make_activity,
    make_matter,
    make_participant,
    make_period,
    make_plan,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused
QUICK = 3.0  # seconds: catches a request hanging on Redis, not a performance test
PLAN_DEADLINE_SCAN = datetime.datetime(2026, 3, 28, 9, tzinfo=datetime.UTC)


def _forget_broker_connections():
    # Celery keeps its producer pool from the first send; drop it (as it does after a
    # fork) so that the next send uses the broker just configured.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str, *, eager: bool):
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, eager
    _forget_broker_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager = saved
        _forget_broker_connections()


@pytest.fixture
def redis_down(settings):
    """The cache and the broker on a refused port, configured as production configures
    them (the fail-open backend and its timeouts), tasks really sent to the broker."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "core.resilience.FailOpenRedisCache",
            "LOCATION": DEAD_REDIS,
            "KEY_PREFIX": "consult",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    with celery_broker(DEAD_REDIS, eager=False):
        yield


@pytest.fixture
def silent_redis(settings):
    """A "Redis" that accepts connections and never answers (a hung server, a dropped
    route): every command waits for the socket timeout unless the backend stops asking."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilience.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
            "KEY_PREFIX": "consult",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    yield
    listener.shutdown(socket.SHUT_RDWR)
    listener.close()
    for connection in held:
        connection.close()


@pytest.fixture
def timed(client):
    """``timed(client.post, url, data)``: the response, after checking it came quickly."""

    def call(method, url, *args, **kwargs):
        started = time.monotonic()
        response = method(url, *args, **kwargs)
        elapsed = time.monotonic() - started
        assert elapsed < QUICK, f"{url} took {elapsed:.1f} s with Redis down"
        return response

    return call


def login(client, timed, user):
    response = timed(
        client.post,
        reverse("accounts:login"),
        {"username": user.username, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_the_cache_backend_answers_as_a_miss_when_redis_refuses(redis_down):
    started = time.monotonic()
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is None
    assert cache.delete("a") is False
    with pytest.raises(ValueError):
        cache.incr("a")
    with pytest.raises(ValueError):  # the rate limits let the request through
        cache.count_hit("a", 60)
    assert time.monotonic() - started < QUICK


def test_public_pages_and_the_api_answer_with_redis_down(redis_down, client, timed):
    staff = StaffFactory()
    period = make_period(by=staff)
    matter = period.matter
    activity = make_activity(matter=matter, by=staff, status="notice_published")
    make_plan(status="published")

    for name, args in [
        ("home", []),
        ("matters:public_list", []),
        ("matters:public_detail", [matter.pk]),
        ("annual_plans:public_year", [2026]),
        ("participation:activity_list", []),
        ("participation:activity_detail", [activity.pk]),
        ("participation:open_comment_periods", []),
        ("participation:comment_period", [period.pk]),
    ]:
        response = timed(client.get, reverse(name, args=args))
        assert response.status_code == 200, name
    response = timed(client.get, reverse("matters:public_detail", args=[matter.pk]))
    assert matter.title in response.content.decode()
    response = timed(client.get, reverse("search:results"), {"q": "城市更新"})
    assert response.status_code == 200

    # The API's throttles keep their counts in the cache: they let requests through.
    response = timed(client.get, "/api/v1/matters/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [matter.pk]
    response = timed(client.get, f"/api/v1/matters/{matter.pk}/")
    assert response.status_code == 200 and response.json()["title"] == matter.title
    response = timed(client.get, "/api/v1/activities/")
    assert response.status_code == 200 and response.json()["results"]


def test_a_redis_that_does_not_answer_holds_no_page_for_long(silent_redis, client, timed):
    """Each cache call would wait a second for the silent server; after the first the
    backend stops asking for a few seconds, so a page costs that second at most once."""
    period = make_period()
    matter = period.matter
    for url in [
        reverse("matters:public_list"),
        reverse("matters:public_detail", args=[matter.pk]),
        reverse("participation:comment_period", args=[period.pk]),
        "/api/v1/matters/",
    ]:
        assert timed(client.get, url).status_code == 200, url
    response = timed(
        client.post,
        reverse("participation:comment_period", args=[period.pk]),
        {"content": "建议延长征求意见时间。", "author_name": "李明", "contact": "", "website": ""},
    )
    assert response.status_code == 302
    assert Opinion.objects.filter(period=period, content="建议延长征求意见时间。").exists()


def test_citizens_comment_and_register_with_redis_down(redis_down, client, timed):
    period = make_period()
    response = timed(
        client.post,
        reverse("participation:comment_period", args=[period.pk]),
        {
            "content": "建议在第十条中明确居民参与的具体方式。",
            "article": "第十条",
            "author_name": "李明",
            "contact": "13912345678",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert Opinion.objects.get(period=period).content == "建议在第十条中明确居民参与的具体方式。"

    staff = StaffFactory()
    matter = make_matter(by=staff)
    Matter.objects.filter(pk=matter.pk).update(is_published=True, published_at=timezone.now())
    now = timezone.now()
    hearing = Activity.objects.create(
        matter=matter,
        kind=Activity.Kind.HEARING,
        title="公共停车场收费价格听证会",
        starts_at=now + datetime.timedelta(days=15),
        ends_at=now + datetime.timedelta(days=15, hours=3),
        place="市民中心听证室",
        capacity=3,
        accepts_registrations=True,
        registration_closes_at=now + datetime.timedelta(days=5),
        status=Activity.Status.NOTICE_PUBLISHED,
        notice_published_at=now,
        created_by=staff,
    )
    url = reverse("participation:registration_create", args=[hearing.pk])
    form = {
        "name": "赵敏",
        "phone": "138 0000 1234",
        "email": "zhaomin@example.com",
        "position": "oppose",
        "statement": "收费过高。",
    }
    response = timed(client.post, url, form, follow=True)
    assert response.status_code == 200
    assert "报名成功" in response.content.decode()
    assert Registration.objects.get(activity=hearing).phone == "13800001234"


def test_staff_and_reviewers_do_their_work_with_redis_down(redis_down, client, timed):
    department = DepartmentFactory(code="mzj", name="青岛市民政局", short_name="市民政局")
    staff = StaffFactory(department=department)
    leader = LeaderFactory(department=department)
    reviewer = ReviewerFactory()

    # Create and edit a matter.
    login(client, timed, staff)
    matter_form = {
        "title": "《青岛市养老服务条例（草案）》",
        "kind": "legislative",
        "year": "2026",
        "summary": "规范养老服务，保障老年人合法权益。",
        "legal_basis": "《中华人民共和国老年人权益保障法》",
        "planned_start": "2026-03-01",
        "planned_end": "2026-12-31",
        "policy_areas": [PolicyArea.objects.get(code="elderly-care").pk],
    }
    response = timed(client.post, reverse("matters:create"), matter_form)
    assert response.status_code == 302
    matter = Matter.objects.get(department=department)
    assert LedgerEntry.objects.filter(matter=matter, action="matter_created").exists()
    response = timed(
        client.post,
        reverse("matters:edit", args=[matter.pk]),
        {**matter_form, "summary": "规范养老服务，明确社区养老设施的配建标准。"},
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.summary == "规范养老服务，明确社区养老设施的配建标准。"
    assert timed(client.get, reverse("workbench")).status_code == 200

    # File an annual plan: start, fill in, the leader signs off, staff submit.
    response = timed(client.post, reverse("annual_plans:start"), {"year": "2027"})
    plan = AnnualPlan.objects.get(department=department, year=2027)
    assert response.status_code == 302
    response = timed(
        client.post,
        reverse("annual_plans:edit", args=[plan.pk]),
        {
            "contact_person": "张伟",
            "contact_phone": "0532-85911234",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-title": "《青岛市养老服务条例》立法协商",
            "items-0-kind": "legislative",
            "items-0-consultation_forms": ["written_solicitation", "symposium"],
            "items-0-planned_start": "2027-03-01",
            "items-0-planned_end": "2027-10-31",
            "items-0-responsible_office": "立法一处",
            "items-0-ORDER": "1",
        },
    )
    assert response.status_code == 302
    assert plan.items.count() == 1
    client.logout()
    login(client, timed, leader)
    assert timed(client.post, reverse("annual_plans:sign_off", args=[plan.pk])).status_code == 302
    client.logout()
    login(client, timed, staff)
    assert timed(client.post, reverse("annual_plans:submit", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.SUBMITTED

    # The general office returns one filing, accepts and publishes another.
    returned = make_plan(status="submitted")
    client.logout()
    login(client, timed, reviewer)
    changelist = reverse("admin:annual_plans_annualplan_changelist")

    def act(action, plans, **extra):
        selected = {"action": action, "_selected_action": [p.pk for p in plans], **extra}
        response = timed(client.post, changelist, selected)
        assert response.status_code == 302, action

    act("return_selected", [returned], comment="请补充各事项的责任处室联系人。")
    act("accept_selected", [plan])
    act("publish_selected", [plan])
    returned.refresh_from_db()
    plan.refresh_from_db()
    assert returned.status == AnnualPlan.Status.RETURNED
    assert plan.status == AnnualPlan.Status.PUBLISHED
    assert (
        timed(client.get, reverse("annual_plans:public_detail", args=[plan.pk])).status_code == 200
    )


def test_opinions_feedback_and_invitations_with_redis_down(redis_down, client, timed):
    staff = StaffFactory()
    login(client, timed, staff)

    # Dispose of the opinions of a closed period and publish its feedback report.
    period = make_period(by=staff, starts_at=timezone.now() - datetime.timedelta(days=40))
    for n in range(3):
        Opinion.objects.create(
            period=period,
            matter=period.matter,
            channel="online",
            content=f"第{n + 1}条意见的内容",
            author_name="赵六六",
            contact="13912345678",
            received_on=timezone.localdate(),
        )
    ids = list(Opinion.objects.filter(period=period).values_list("pk", flat=True))
    response = timed(
        client.post,
        reverse("participation:opinions_dispose", args=[period.pk]),
        {"opinion": ids, "disposition": "partly_adopted", "response": "部分吸收。"},
    )
    assert response.status_code == 302
    assert set(Opinion.objects.values_list("disposition", flat=True)) == {"partly_adopted"}
    response = timed(
        client.post,
        reverse("participation:feedback_edit", args=[period.pk]),
        {"summary": "意见采纳情况说明。", "confirm": "on"},
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.report_published_at is not None

    # Invite a participant: the invitation is recorded, and its e-mail waits in the outbox
    # for the sweep (the broker cannot take the send task); nothing says it was sent.
    activity = make_activity(matter=period.matter, by=staff)
    expert = make_participant(by=staff, name="张伟", email="zhangwei@example.com")
    deadline = timezone.localtime(activity.starts_at - datetime.timedelta(days=2))
    response = timed(
        client.post,
        reverse("participation:invitation_list", args=[activity.pk]),
        {"participants": [expert.pk], "reply_deadline": deadline.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(activity=activity, participant=expert)
    assert invitation.sent_at is None
    email = Reminder.objects.get(kind=Reminder.Kind.INVITATION, object_id=invitation.pk)
    assert (email.recipient, email.status) == ("zhangwei@example.com", Reminder.Status.PENDING)
    assert mail.outbox == []


def test_reminders_wait_while_redis_is_down_and_are_sent_once_when_it_is_back(redis_down, caplog):
    waiting = [StaffFactory(department=DepartmentFactory()) for _ in range(3)]

    started = time.monotonic()
    result = scan(now=PLAN_DEADLINE_SCAN)
    assert time.monotonic() - started < QUICK
    assert len(result.recorded) >= len(waiting)
    # The scan committed its rows; the after-commit enqueue failed and left them pending.
    rows = Reminder.objects.all()
    assert set(rows.values_list("status", "attempts")) == {(Reminder.Status.PENDING, 0)}
    assert {user.email for user in waiting} <= set(rows.values_list("recipient", flat=True))
    assert "left pending for the sweep" in caplog.text
    assert mail.outbox == []

    # Redis is back (tasks run in process here): the sweep sends each one, once.
    later = timezone.now() + datetime.timedelta(minutes=5)
    with celery_broker(settings.CELERY_BROKER_URL, eager=True):
        assert reminder_services.send_pending(now=later) == rows.count()
        assert reminder_services.send_pending(now=later) == 0
    assert Counter((message.to[0], message.subject) for message in mail.outbox) == Counter(
        rows.values_list("recipient", "subject")
    )
    assert len(mail.outbox) == rows.count()
    assert set(rows.values_list("status", "attempts")) == {(Reminder.Status.SENT, 1)}


@pytest.mark.redis
def test_pages_cached_before_an_outage_are_dropped_when_redis_comes_back(
    settings, client, monkeypatch
):
    """Redis goes away and comes back with its data (a network cut, not a restart). What
    changed meanwhile could not drop the pages cached before: the first answer after the
    outage drops them all, so no page from before the change is served."""
    from urllib.parse import urlsplit

    from core.resilience import FailOpenRedisCache
    from matters.services import matter_publish
    from tests.portal.fault_support import TcpProxy

    redis_url = urlsplit(settings.REDIS_URL)
    proxy = TcpProxy((redis_url.hostname or "127.0.0.1", redis_url.port or 6379))
    proxy.start()
    monkeypatch.setattr(FailOpenRedisCache, "RETRY_AFTER", 0.0)  # no waiting in the test
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilience.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}{redis_url.path or '/0'}",
            "KEY_PREFIX": "consult-outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    try:
        first = make_matter(title="社区养老服务设施布局规划")
        matter_publish(matter=first, by=first.created_by)
        client.get("/matters/")
        assert "社区养老服务设施布局规划" in client.get("/matters/").content.decode()

        proxy.stop()  # Redis unreachable; what it holds stays
        later = make_matter(title="老旧小区改造资金分担办法")
        matter_publish(matter=later, by=later.created_by)  # its bump cannot reach Redis
        assert "老旧小区改造资金分担办法" in client.get("/matters/").content.decode()

        proxy.start()  # back, on the same port, with the page cached before the change
        page = client.get("/matters/").content.decode()

        assert "老旧小区改造资金分担办法" in page
        assert "老旧小区改造资金分担办法" in client.get("/matters/").content.decode()
    finally:
        proxy.stop()
