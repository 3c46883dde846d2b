import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.models import Opinion
from participation.services.comments import opinion_submit, opinions_moderate
from tests.factories import (
    ReviewerFactory,
    StaffFactory,
    make_matter,
    make_period,
)

pytestmark = pytest.mark.django_db
CONTACT = "13912345678"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, user):
    client.force_login(user)
    return client


def period_url(period):
    return reverse("participation:comment_period", args=[period.pk])


def form_data(**overrides):
    return {
        "content": "建议在第十条中明确居民参与的具体方式。",
        "article": "第十条",
        "author_name": "李明",
        "contact": CONTACT,
        "website": "",
        **overrides,
    }


def test_open_list_shows_days_left_and_not_closed_or_unpublished(client):
    period = make_period(days=30)
    make_period(starts_at=timezone.now() - datetime.timedelta(days=40), days=30, title="已结束的")
    unpublished = make_matter()
    assert not unpublished.is_published
    response = client.get(reverse("participation:open_comment_periods"))
    text = response.content.decode()
    assert response.status_code == 200
    assert period.title in text
    assert "已结束的" not in text
    assert "剩余" in text


def test_last_day_says_today(client):
    now = timezone.now()
    make_period(
        starts_at=now - datetime.timedelta(days=30), ends_at=now + datetime.timedelta(minutes=1)
    )
    response = client.get(reverse("participation:open_comment_periods"))
    # Unless the test runs in the last minute of a Shanghai day, it ends today.
    if timezone.localdate(now) == timezone.localdate(now + datetime.timedelta(minutes=1)):
        assert "今天截止" in response.content.decode()


def test_empty_list_has_empty_state(client):
    response = client.get(reverse("participation:open_comment_periods"))
    assert "目前没有正在征求意见" in response.content.decode()


def test_submit_stores_pending_opinion_and_thanks(client):
    period = make_period()
    response = client.post(period_url(period), form_data(), follow=True)
    assert "审核后公开显示" in response.content.decode()
    opinion = Opinion.objects.get()
    assert opinion.moderation == Opinion.Moderation.PENDING
    assert opinion.contact == CONTACT
    assert len(opinion.client_hash) == 64 and "127.0.0.1" not in opinion.client_hash
    # Pending opinions are not shown publicly.
    assert "居民参与的具体方式" not in client.get(period_url(period)).content.decode()


def test_honeypot_stores_nothing_and_thanks_the_same(client):
    period = make_period()
    response = client.post(period_url(period), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response.url == reverse("participation:comment_thanks", args=[period.pk])
    assert Opinion.objects.count() == 0


def test_form_says_contact_is_private_and_has_honeypot(client):
    period = make_period()
    text = client.get(period_url(period)).content.decode()
    assert "不会公开显示" in text
    assert 'name="website"' in text and "请勿填写此项" in text


def test_rate_limit_returns_429_then_resets(client, settings):
    settings.PORTAL_OPINION_RATE = 2
    period = make_period()
    for _ in range(2):
        assert client.post(period_url(period), form_data()).status_code == 302
    response = client.post(period_url(period), form_data(content="第三条意见文字保留"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    text = response.content.decode()
    assert "提交的意见过多" in text and "第三条意见文字保留" in text
    assert Opinion.objects.count() == 2
    cache.clear()  # the window has passed
    assert client.post(period_url(period), form_data()).status_code == 302
    assert Opinion.objects.count() == 3


def test_rate_limit_is_per_address(settings):
    settings.PORTAL_OPINION_RATE = 1
    period = make_period()
    first = Client(REMOTE_ADDR="10.0.0.1")
    second = Client(REMOTE_ADDR="10.0.0.2")
    assert first.post(period_url(period), form_data()).status_code == 302
    assert first.post(period_url(period), form_data()).status_code == 429
    assert second.post(period_url(period), form_data()).status_code == 302


def test_csrf_is_enforced():
    period = make_period()
    client = Client(enforce_csrf_checks=True)
    response = client.post(period_url(period), form_data())
    assert response.status_code == 403
    assert Opinion.objects.count() == 0


def test_too_long_content_is_refused_and_kept(client):
    period = make_period()
    content = "长" * 5000 + "尾"
    response = client.post(period_url(period), form_data(content=content))
    text = response.content.decode()
    assert response.status_code == 200
    assert "不能超过5000个字" in text
    assert content in text
    assert Opinion.objects.count() == 0


def test_shown_opinions_are_listed_without_contact(client):
    period = make_period()
    opinion = opinion_submit(
        period=period, content="公开显示的意见", author_name="王五", contact=CONTACT
    )
    opinion_submit(period=period, content="仍待审核的意见", contact=CONTACT)
    opinions_moderate(
        period=period, by=period.matter.created_by, opinion_ids=[opinion.pk], moderation="shown"
    )
    text = client.get(period_url(period)).content.decode()
    assert "公开显示的意见" in text and "王五" in text
    assert "仍待审核的意见" not in text
    assert CONTACT not in text


def test_closed_period_has_no_form(client):
    period = make_period(starts_at=timezone.now() - datetime.timedelta(days=40), days=30)
    text = client.get(period_url(period)).content.decode()
    assert "征求意见已结束" in text
    assert 'name="content"' not in text
    client.post(period_url(period), form_data())
    assert Opinion.objects.count() == 0


def test_unpublished_matter_period_is_not_found(client):
    from matters.services import matter_withdraw

    period = make_period()
    matter_withdraw(matter=period.matter, by=period.matter.created_by, reason="调整")
    assert client.get(period_url(period)).status_code == 404


def test_matter_comments_tag_shows_form_and_days_left(rf):
    from django.template import Context, Template

    period = make_period()
    request = rf.get("/")
    html = Template("{% load participation_comments %}{% matter_comments matter %}").render(
        Context({"matter": period.matter, "request": request, "csrf_token": "x"})
    )
    assert period.title in html and "剩余" in html and 'name="content"' in html


# ---------------------------------------------------------------------- staff pages


def add_opinions(period, n):
    Opinion.objects.bulk_create(
        Opinion(
            period=period,
            matter=period.matter,
            channel=Opinion.Channel.ONLINE if i % 2 else Opinion.Channel.LETTER,
            content=f"意见内容{i}",
            contact=CONTACT,
            received_on=timezone.localdate(),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [5, 60])
def test_register_costs_constant_queries(client, django_assert_max_num_queries, n):
    period = make_period()
    add_opinions(period, n)
    login(client, period.matter.created_by)
    url = reverse("participation:staff_period", args=[period.pk])
    client.get(url)  # warm the session and the user's roles
    # 4 of them write the security audit's row: the page shows commenters' contacts.
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert CONTACT in response.content.decode()  # staff see the contact


def test_register_filters(client):
    period = make_period()
    add_opinions(period, 4)
    login(client, period.matter.created_by)
    url = reverse("participation:staff_period", args=[period.pk])
    response = client.get(url, {"channel": "letter", "undisposed": "on"})
    assert response.context["page"].paginator.count == 2
    response = client.get(url, {"q": "意见内容3"})
    assert response.context["page"].paginator.count == 1


def test_bulk_dispose_from_page_and_errors_keep_input(client):
    period = make_period()
    add_opinions(period, 3)
    ids = list(Opinion.objects.values_list("pk", flat=True))
    login(client, period.matter.created_by)
    url = reverse("participation:opinions_dispose", args=[period.pk])
    response = client.post(url, {"opinion": ids[:2], "disposition": "not_adopted", "response": ""})
    assert response.status_code == 200
    assert "须填写答复和理由" in response.content.decode()
    assert response.context["selected"] == {str(ids[0]), str(ids[1])}
    response = client.post(
        url, {"opinion": ids[:2], "disposition": "partly_adopted", "response": "部分吸收。"}
    )
    assert response.status_code == 302
    assert Opinion.objects.filter(disposition="partly_adopted").count() == 2


def test_bulk_moderate_from_page(client):
    period = make_period()
    add_opinions(period, 2)
    ids = list(Opinion.objects.values_list("pk", flat=True))
    login(client, period.matter.created_by)
    url = reverse("participation:opinions_moderate", args=[period.pk])
    assert client.post(url, {"opinion": ids, "moderation": "shown"}).status_code == 302
    assert Opinion.objects.filter(moderation="shown").count() == 2


def test_record_offline_opinion_page(client):
    period = make_period()
    login(client, period.matter.created_by)
    url = reverse("participation:opinion_record", args=[period.pk])
    response = client.post(
        url,
        {
            "channel": "hotline",
            "received_on": timezone.localdate().isoformat(),
            "content": "热线反映的意见",
            "author_name": "",
            "contact": "",
            "article": "",
        },
    )
    assert response.status_code == 302
    assert Opinion.objects.get().recorded_by == period.matter.created_by


def test_open_period_page_creates_period(client):
    matter = make_matter(kind="legislative")
    from matters.services import matter_publish

    matter_publish(matter=matter, by=matter.created_by)
    login(client, matter.created_by)
    url = reverse("participation:period_open", args=[matter.pk])
    start = timezone.localtime() + datetime.timedelta(hours=1)
    data = {
        "title": "公开征求意见",
        "description": "",
        "draft": "",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "shortened_reason": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不少于30日" in response.content.decode()
    data["shortened_reason"] = "按上级要求加快推进"
    assert client.post(url, data).status_code == 302


STAFF_GET = ["staff_period", "opinion_record", "feedback_edit"]
STAFF_POST = ["opinions_moderate", "opinions_dispose", "opinion_record", "feedback_edit"]


@pytest.mark.parametrize("name", STAFF_GET)
def test_anonymous_is_sent_to_login(client, name):
    period = make_period()
    response = client.get(reverse(f"participation:{name}", args=[period.pk]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("name", [*STAFF_GET, "period_open"])
def test_other_department_is_refused(client, name):
    period = make_period()
    login(client, StaffFactory())
    target = period.matter.pk if name == "period_open" else period.pk
    assert client.get(reverse(f"participation:{name}", args=[target])).status_code == 403


@pytest.mark.parametrize("name", STAFF_POST)
def test_other_department_cannot_post(client, name):
    period = make_period()
    add_opinions(period, 1)
    login(client, StaffFactory())
    response = client.post(
        reverse(f"participation:{name}", args=[period.pk]),
        {"opinion": list(Opinion.objects.values_list("pk", flat=True)), "moderation": "shown"},
    )
    assert response.status_code == 403


def test_general_office_reads_but_cannot_act(client):
    period = make_period()
    add_opinions(period, 1)
    login(client, ReviewerFactory())
    response = client.get(reverse("participation:staff_period", args=[period.pk]))
    assert response.status_code == 200
    assert "记录处理结果" not in response.content.decode()
    assert client.get(reverse("participation:opinion_record", args=[period.pk])).status_code == 403
    assert (
        client.get(reverse("participation:period_open", args=[period.matter.pk])).status_code == 403
    )
    ids = list(Opinion.objects.values_list("pk", flat=True))
    for name in ["opinions_moderate", "opinions_dispose"]:
        response = client.post(
            reverse(f"participation:{name}", args=[period.pk]),
            {"opinion": ids, "moderation": "shown", "disposition": "adopted"},
        )
        assert response.status_code == 403
    assert client.get(reverse("participation:staff_periods")).status_code == 200


def test_staff_list_shows_only_own_department(client):
    own = make_period(title="本部门的征求意见")
    make_period(title="其他部门的征求意见")
    login(client, own.matter.created_by)
    text = client.get(reverse("participation:staff_periods")).content.decode()
    assert "本部门的征求意见" in text and "其他部门的征求意见" not in text


def test_admin_is_read_only_for_general_office(client):
    period = make_period()
    add_opinions(period, 2)
    login(client, ReviewerFactory())
    for model in ["commentperiod", "opinion"]:
        url = reverse(f"admin:participation_{model}_changelist")
        assert client.get(url).status_code == 200
        assert client.get(reverse(f"admin:participation_{model}_add")).status_code == 403
    response = client.get(
        reverse("admin:participation_opinion_changelist"), {"channel__exact": "letter"}
    )
    assert response.status_code == 200
    opinion = Opinion.objects.first()
    change = client.get(reverse("admin:participation_opinion_change", args=[opinion.pk]))
    assert change.status_code == 200 and 'name="content"' not in change.content.decode()


def test_opinions_are_still_accepted_when_the_cache_is_down(monkeypatch):
    """With Redis unreachable the rate limit steps aside instead of failing the citizen."""
    from django.core.cache.backends.redis import RedisCache
    from django.test import RequestFactory

    from core import counters
    from participation import ratelimit

    # A real Redis client pointed at a port where nothing listens.
    monkeypatch.setattr(counters, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    assert ratelimit.opinion_rate_hit(request).allowed


# --- issue 21, item 20: a receipt number, by e-mail too, and the answer found by it ------


def test_submit_shows_a_receipt_number_and_e_mails_it_through_the_outbox(
    client, settings, django_capture_on_commit_callbacks, mailoutbox
):
    from reminders.models import Reminder

    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"
    period = make_period()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            period_url(period), form_data(contact="liming@example.com"), follow=True
        )
    opinion = Opinion.objects.get()
    assert opinion.receipt.startswith("YJ-") and len(opinion.receipt) == 12
    text = response.content.decode()
    assert "意见编号" in text and opinion.receipt in text
    row = Reminder.objects.get(kind="opinion_receipt")
    assert (row.recipient, row.object_id, row.status) == ("liming@example.com", opinion.pk, "sent")
    [mail] = mailoutbox
    assert mail.to == ["liming@example.com"] and opinion.receipt in mail.subject
    assert f"{period_url(period)}?receipt={opinion.receipt}" in mail.body
    # Shown once: the thanks page does not keep it.
    assert opinion.receipt not in client.get(response.request["PATH_INFO"]).content.decode()


def test_a_phone_number_contact_gets_the_receipt_on_the_page_only(client, mailoutbox):
    from reminders.models import Reminder

    period = make_period()
    response = client.post(period_url(period), form_data(), follow=True)
    assert Opinion.objects.get().receipt in response.content.decode()
    assert not Reminder.objects.exists() and not mailoutbox


def test_the_feedback_report_finds_the_answer_by_receipt_and_tells_the_commenter(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    from participation.services.comments import opinions_dispose
    from participation.services.feedback import feedback_publish

    now = timezone.now()
    period = make_period(starts_at=now - datetime.timedelta(days=40), days=30)
    opinion = opinion_submit(
        period=period,
        content="建议增加夜间照明。",
        contact="liming@example.com",
        now=period.starts_at + datetime.timedelta(days=1),
    )
    opinion_submit(
        period=period,
        content="另一条意见。",
        contact="13912345678",
        now=period.starts_at + datetime.timedelta(days=1),
    )
    staff = period.matter.created_by
    opinions_dispose(
        period=period,
        by=staff,
        opinion_ids=list(Opinion.objects.values_list("pk", flat=True)),
        disposition="adopted",
        response="已在第五条增加夜间照明要求。",
    )
    lookup = f"{period_url(period)}?receipt={opinion.receipt.lower().replace('-', ' ')}"
    assert "已在第五条" not in client.get(lookup).content.decode()  # not before publishing
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_publish(period=period, by=staff, summary="采纳情况说明。")
    [mail] = mailoutbox
    assert mail.to == ["liming@example.com"] and opinion.receipt in mail.body
    text = client.get(lookup).content.decode()
    assert f"意见编号 {opinion.receipt}" in text and "建议增加夜间照明" in text
    assert "处理结果：" in text and "已在第五条增加夜间照明要求。" in text
    text = client.get(f"{period_url(period)}?receipt=YJ-2222-2222").content.decode()
    assert "没有找到该意见编号的意见" in text
