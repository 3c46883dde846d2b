import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import TransitionError
from matters.models import LedgerEntry
from participation.events import Action
from participation.models import Opinion
from participation.reports import feedback_report_pdf
from participation.selectors.comments import adoption_rates, feedback_stats
from participation.services.comments import opinions_dispose
from participation.services.feedback import feedback_publish
from tests.factories import ReviewerFactory, StaffFactory, make_period

pytestmark = pytest.mark.django_db
CONTACT = "13912345678"
NAME = "赵六六"

# Hand-counted fixture: 10 opinions.
# channels: online 6, letter 2, hotline 2
# dispositions: adopted 3, partly 2, not adopted 3, out of scope 2
# adoption rate = (3 + 2) / (10 - 2) = 62.5%
FIXTURE = [
    ("online", "adopted", ""),
    ("online", "adopted", ""),
    ("letter", "adopted", ""),
    ("online", "partly_adopted", "部分采纳，已修改第五条。"),
    ("hotline", "partly_adopted", "部分采纳，已修改第五条。"),
    ("online", "not_adopted", "与上位法不一致。"),
    ("online", "not_adopted", "与上位法不一致。"),
    ("letter", "not_adopted", "已有相关规定。"),
    ("online", "out_of_scope", "不属于本草案调整范围，已转相关部门。"),
    ("hotline", "out_of_scope", "不属于本草案调整范围，已转相关部门。"),
]


def closed_period(**kwargs):
    return make_period(starts_at=timezone.now() - datetime.timedelta(days=40), days=30, **kwargs)


def fill(period, *, dispose=True):
    staff = period.matter.created_by
    for n, (channel, _disposition, _response) in enumerate(FIXTURE):
        Opinion.objects.create(
            period=period,
            matter=period.matter,
            channel=channel,
            content=f"第{n + 1}条意见的内容",
            article=f"第{n + 1}条",
            author_name=NAME,
            contact=CONTACT,
            received_on=timezone.localdate(),
        )
    if not dispose:
        return
    pks = list(Opinion.objects.filter(period=period).order_by("pk").values_list("pk", flat=True))
    groups = {}
    for pk, (_c, disposition, response) in zip(pks, FIXTURE, strict=True):
        groups.setdefault((disposition, response), []).append(pk)
    for (disposition, response), ids in groups.items():
        opinions_dispose(
            period=period, by=staff, opinion_ids=ids, disposition=disposition, response=response
        )


def test_counts_and_adoption_rate_on_hand_counted_fixture():
    period = closed_period()
    fill(period)
    stats = feedback_stats(period=period)
    assert stats.total == 10
    assert dict(stats.by_channel) == {"网上征求意见": 6, "信函": 2, "政务服务热线": 2}
    assert dict(stats.by_disposition) == {"采纳": 3, "部分采纳": 2, "未采纳": 3, "不属于本事项": 2}
    assert stats.rate == pytest.approx(0.625)
    assert stats.rate_display == "62.5%"
    # Grouped by (disposition, answer): adopted, partly, two not-adopted answers, out of scope.
    assert [(g.disposition, len(g.opinions)) for g in stats.groups] == [
        ("adopted", 3),
        ("partly_adopted", 2),
        ("not_adopted", 2),
        ("not_adopted", 1),
        ("out_of_scope", 2),
    ]


def test_publish_refused_while_undisposed_naming_how_many():
    period = closed_period()
    fill(period, dispose=False)
    staff = period.matter.created_by
    first = Opinion.objects.order_by("pk").first()
    opinions_dispose(period=period, by=staff, opinion_ids=[first.pk], disposition="adopted")
    with pytest.raises(TransitionError, match="还有9条意见尚未处理"):
        feedback_publish(period=period, by=staff, summary="说明")


def test_publish_refused_before_the_period_closed():
    period = make_period()
    with pytest.raises(TransitionError, match="尚未结束"):
        feedback_publish(period=period, by=period.matter.created_by, summary="说明")


def test_publish_at_exact_end_is_allowed_and_writes_ledger():
    period = make_period()
    published = feedback_publish(
        period=period, by=period.matter.created_by, summary="说明", now=period.ends_at
    )
    assert published.report_published_at == period.ends_at
    entry = LedgerEntry.objects.get(action=Action.FEEDBACK_PUBLISHED)
    assert entry.after["total"] == 0
    with pytest.raises(TransitionError, match="已经公开"):
        feedback_publish(period=period, by=period.matter.created_by, summary="说明")


def test_dispositions_frozen_after_publish():
    period = closed_period()
    fill(period)
    staff = period.matter.created_by
    feedback_publish(period=period, by=staff, summary="说明")
    with pytest.raises(TransitionError, match="已经公开"):
        opinions_dispose(
            period=period,
            by=staff,
            opinion_ids=list(Opinion.objects.values_list("pk", flat=True)),
            disposition="adopted",
        )


def test_pdf_has_counts_and_no_personal_data():
    from pypdf import PdfReader

    period = closed_period()
    fill(period)
    period = feedback_publish(period=period, by=period.matter.created_by, summary="总体情况说明")
    pdf = feedback_report_pdf(period)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "意见采纳情况说明" in compact
    assert "62.5%" in compact
    assert "网上征求意见6" in compact and "政务服务热线2" in compact
    assert "未采纳3" in compact
    assert "第1页共" in compact
    assert CONTACT not in compact and NAME not in compact


def test_public_page_shows_report_without_names_or_contact(client):
    period = closed_period()
    fill(period)
    Opinion.objects.update(moderation="shown")
    feedback_publish(period=period, by=period.matter.created_by, summary="总体情况说明")
    text = client.get(reverse("participation:comment_period", args=[period.pk])).content.decode()
    assert "总体情况说明" in text and "62.5%" in text
    assert "（采纳 + 部分采纳）÷（意见总数 − 不属于本事项）" in text
    assert CONTACT not in text
    response = client.get(reverse("participation:feedback_pdf", args=[period.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_pdf_not_public_before_publish(client):
    period = closed_period()
    assert client.get(reverse("participation:feedback_pdf", args=[period.pk])).status_code == 404


def test_feedback_page_publishes_and_shows_refusal(client):
    period = closed_period()
    fill(period, dispose=False)
    client.force_login(period.matter.created_by)
    url = reverse("participation:feedback_edit", args=[period.pk])
    response = client.post(url, {"summary": "我的说明文字", "confirm": "on"})
    text = response.content.decode()
    assert "还有10条意见尚未处理" in text and "我的说明文字" in text
    Opinion.objects.update(disposition="adopted")
    assert client.post(url, {"summary": "我的说明文字", "confirm": "on"}).status_code == 302
    period.refresh_from_db()
    assert period.report_published_at is not None


def test_feedback_page_permissions(client):
    period = closed_period()
    url = reverse("participation:feedback_edit", args=[period.pk])
    assert client.get(url).status_code == 302
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 403
    client.force_login(ReviewerFactory())
    assert client.get(url).status_code == 200
    assert client.post(url, {"summary": "x"}).status_code == 403


def test_adoption_rates_by_department_and_year(client, django_assert_max_num_queries):
    first = closed_period()
    fill(first)
    second = closed_period()
    fill(second, dispose=False)
    rows = {row.department: row for row in adoption_rates()}
    row = rows[first.matter.department.name]
    assert (row.total, row.year, row.rate_display) == (10, 2026, "62.5%")
    assert rows[second.matter.department.name].undisposed == 10
    assert rows[second.matter.department.name].rate_display == "—"
    url = reverse("participation:adoption_rates")
    client.force_login(ReviewerFactory())
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert "62.5%" in response.content.decode()
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(first.matter.created_by)
    assert client.get(url).status_code == 403


def test_the_report_leaves_out_the_text_of_opinions_staff_chose_not_to_show(client):
    from pypdf import PdfReader

    from participation.services.comments import opinions_moderate

    period = closed_period()
    fill(period)
    hidden = Opinion.objects.filter(period=period).order_by("pk").first()
    Opinion.objects.filter(pk=hidden.pk).update(content="某某家住某小区某号楼，电话13900009999")
    opinions_moderate(
        period=period, by=period.matter.created_by, opinion_ids=[hidden.pk], moderation="hidden"
    )
    feedback_publish(period=period, by=period.matter.created_by, summary="总体情况说明")

    page = client.get(reverse("participation:comment_period", args=[period.pk])).content.decode()
    pdf = client.get(reverse("participation:feedback_pdf", args=[period.pk])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    compact = text.replace(" ", "").replace("\n", "")

    for shown in (page, compact):
        assert "13900009999" not in shown
        assert "此条意见经审核不公开显示" in shown
        assert "第2条意见的内容" in shown  # the others are printed as before
    # Still counted: 10 opinions, 62.5%.
    assert "62.5%" in page and "62.5%" in compact


def test_the_report_pdf_is_rendered_once_until_something_changes(client, monkeypatch):
    from participation.views import feedback as views

    period = closed_period()
    fill(period)
    Opinion.objects.update(moderation="shown")
    feedback_publish(period=period, by=period.matter.created_by, summary="总体情况说明")
    renders = []
    monkeypatch.setattr(
        views,
        "feedback_report_pdf",
        lambda period: renders.append(period.pk) or feedback_report_pdf(period),
    )
    url = reverse("participation:feedback_pdf", args=[period.pk])

    first, again = client.get(url), client.get(url)
    assert renders == [period.pk]
    assert again.content == first.content

    period.matter.title = "《青岛市养老服务条例（修订草案）》立法协商"
    period.matter.save(update_fields=["title"])
    client.get(url)
    assert renders == [period.pk, period.pk]


def test_an_opinion_with_a_long_address_wraps_on_the_page():
    """An opinion may quote an address or a number with no break opportunity: its lines
    break inside the page rather than run off it."""
    from pypdf import PdfReader

    long_text = "www." + "qingdaoshizhengfuxinxigongkai." * 5 + "gov.cn"  # wider than a page
    period = closed_period()
    fill(period)
    first = Opinion.objects.filter(period=period).order_by("pk").first()
    Opinion.objects.filter(pk=first.pk).update(content=f"建议参照{long_text}的做法{long_text}")
    period = feedback_publish(period=period, by=period.matter.created_by, summary="总体情况说明")

    reader = PdfReader(io.BytesIO(feedback_report_pdf(period)))
    text = "\n".join(page.extract_text() for page in reader.pages)

    assert long_text in "".join(text.split())
    assert long_text not in text


# --- issue 21, item 16: publishing is confirmed, and refused buttons are disabled -------


def test_feedback_publish_needs_the_confirmation_tick(client):
    period = closed_period()
    fill(period)
    client.force_login(period.matter.created_by)
    url = reverse("participation:feedback_edit", args=[period.pk])
    response = client.post(url, {"summary": "我的说明文字"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "请勾选确认：意见采纳情况说明公开后不能修改。" in text and "我的说明文字" in text
    period.refresh_from_db()
    assert period.report_published_at is None
    assert client.post(url, {"summary": "我的说明文字", "confirm": "on"}).status_code == 302
    period.refresh_from_db()
    assert period.report_published_at is not None


def _publish_button(html: str) -> str:
    import re

    return re.search(r"<button[^>]*>公开意见采纳情况</button>", html).group(0)


def test_feedback_publish_button_disabled_while_the_page_lists_why(client):
    period = closed_period()
    fill(period, dispose=False)
    client.force_login(period.matter.created_by)
    url = reverse("participation:feedback_edit", args=[period.pk])
    text = client.get(url).content.decode()
    button = _publish_button(text)
    assert "disabled" in button and 'aria-describedby="publish-undisposed"' in button
    assert 'id="publish-undisposed"' in text
    Opinion.objects.update(disposition="adopted")
    assert "disabled" not in _publish_button(client.get(url).content.decode())
