"""Writes of comment periods and opinions. Each is atomic and writes its ledger row.

A public submission is not a ledger event: the register itself is its record, and the
ledger keeps the staff's work on it (offline opinions, moderation, dispositions).
"""

import datetime
import secrets
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.content_cache import content_changed
from core.exceptions import TransitionError
from matters.models import DraftVersion, Matter
from matters.services import matter_touch
from reminders.models import Reminder
from reminders.services import outbox_record, outbox_row

from .. import events
from ..models import CommentPeriod, Opinion
from ..selectors.comments import period_is_open
from ..tokens import absolute_url

MAX_CONTENT = 5000


def needs_full_period(matter: Matter) -> bool:
    """Drafts of regulations, rules and major administrative decisions (法定征求意见期)."""
    return matter.kind == "legislative" or matter.is_major_decision


def minimum_period() -> datetime.timedelta:
    return datetime.timedelta(days=settings.PORTAL_MIN_COMMENT_DAYS)


@transaction.atomic
def comment_period_open(
    *,
    matter: Matter,
    by,
    title: str,
    description: str = "",
    draft: DraftVersion | None = None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    shortened_reason: str = "",
    now: datetime.datetime | None = None,
) -> CommentPeriod:
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    title = (title or "").strip()
    shortened_reason = (shortened_reason or "").strip()
    if not matter.is_published:
        raise TransitionError(_("事项尚未向社会公开，不能发起征求意见。"))
    if not title:
        raise TransitionError(_("请填写征求意见标题。"))
    if draft is not None:
        draft = DraftVersion.objects.get(pk=draft.pk)
        if draft.matter_id != matter.pk:
            raise TransitionError(_("所选草案版本不属于该事项。"))
        if not draft.is_published:
            raise TransitionError(_("所选草案版本尚未公开，不能就其征求意见。"))
    if ends_at <= starts_at:
        raise TransitionError(_("截止时间必须晚于开始时间。"))
    if (
        needs_full_period(matter)
        and ends_at - starts_at < minimum_period()
        and not shortened_reason
    ):
        raise TransitionError(
            _(
                "法规规章草案和重大行政决策的征求意见期不少于%(days)d日；"
                "少于%(days)d日的，须说明原因。"
            )
            % {"days": settings.PORTAL_MIN_COMMENT_DAYS}
        )
    period = CommentPeriod.objects.create(
        matter=matter,
        draft=draft,
        title=title,
        description=(description or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        shortened_reason=shortened_reason,
        created_by=by,
    )
    events.comment_period_opened(period, by=by)
    matter_touch(matter_id=matter.pk)
    return period


def _check_content(content: str) -> str:
    content = (content or "").strip()
    if not content:
        raise TransitionError(_("请填写意见内容。"))
    if len(content) > MAX_CONTENT:
        raise TransitionError(
            _("意见内容不能超过%(max)d个字（现有%(count)d个字）。")
            % {"max": MAX_CONTENT, "count": len(content)}
        )
    return content


def _check_report_not_published(period: CommentPeriod) -> None:
    if period.report_published_at is not None:
        raise TransitionError(_("意见采纳情况说明已经公开，不能再修改意见登记。"))


@transaction.atomic
def opinion_submit(
    *,
    period: CommentPeriod,
    content: str,
    article: str = "",
    author_name: str = "",
    contact: str = "",
    client_hash: str = "",
    now: datetime.datetime | None = None,
) -> Opinion:
    """A member of the public comments online; shown only after moderation."""
    now = now or timezone.now()
    period = CommentPeriod.objects.select_related("matter").get(pk=period.pk)
    if not period.matter.is_published or not period_is_open(period, now=now):
        raise TransitionError(_("征求意见已结束或尚未开始，不能提交意见。"))
    opinion = Opinion.objects.create(
        period=period,
        matter_id=period.matter_id,
        channel=Opinion.Channel.ONLINE,
        content=_check_content(content),
        article=(article or "").strip(),
        author_name=(author_name or "").strip(),
        contact=(contact or "").strip(),
        received_on=timezone.localdate(now),
        client_hash=client_hash,
        receipt=new_receipt(),
    )
    # A commenter who left an e-mail address gets the receipt by e-mail, through the
    # outbox, in this transaction (sent after commit, retried by the sweep).
    if is_email(opinion.contact):
        outbox_record([_receipt_email(opinion, period, now=now)])
    # Not shown until moderated: the public pages stay as they are (and stay cached).
    matter_touch(matter_id=period.matter_id, public=False)
    return opinion


RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # nothing to misread (0/O, 1/I/L)


def new_receipt(prefix: str = "YJ") -> str:
    """A receipt number (意见编号) such as ``YJ-7K3M-9QPX``: random, so not guessable.
    Another kind of submission has its own prefix (``ZJ`` for a call's proposals)."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{prefix}-{code[:4]}-{code[4:]}"


def normalise_receipt(text: str, prefix: str = "YJ") -> str:
    """What a person types (lower case, spaces, no dashes) as the stored form."""
    code = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if code.startswith(prefix):
        code = code[len(prefix) :]
    return f"{prefix}-{code[:4]}-{code[4:]}" if len(code) == 8 else ""


def is_email(contact: str) -> bool:
    try:
        validate_email(contact)
    except ValidationError:
        return False
    return True


def receipt_link(opinion: Opinion) -> str:
    """Where the answer to ``opinion`` is found once the feedback report is public."""
    path = reverse("participation:comment_period", args=[opinion.period_id])
    return absolute_url(f"{path}?{urlencode({'receipt': opinion.receipt})}#receipt-answer")


def _receipt_email(opinion: Opinion, period: CommentPeriod, *, now) -> Reminder:
    return outbox_row(
        kind=Reminder.Kind.OPINION_RECEIPT,
        obj=opinion,
        recipient=opinion.contact,
        occasion="receipt",
        subject=_("意见回执：您对“%(title)s”的意见（意见编号%(receipt)s）")
        % {"title": period.title, "receipt": opinion.receipt},
        template="participation/emails/opinion_receipt",
        context={
            "opinion": opinion,
            "period": period,
            "ends_at": timezone.localtime(period.ends_at),
            "link": receipt_link(opinion),
        },
        now=now,
    )


def _lock_period(period: CommentPeriod) -> CommentPeriod:
    return CommentPeriod.objects.select_for_update().select_related("matter").get(pk=period.pk)


@transaction.atomic
def opinion_record(
    *,
    period: CommentPeriod,
    by,
    channel: str,
    received_on: datetime.date,
    content: str,
    article: str = "",
    author_name: str = "",
    contact: str = "",
) -> Opinion:
    """Staff register an opinion received offline (letter, symposium, hotline, ...)."""
    period = _lock_period(period)
    _check_report_not_published(period)
    if channel == Opinion.Channel.WRITTEN:
        raise TransitionError(_("书面征求意见的反馈在事项的“书面征求意见”中登记。"))
    if channel in Opinion.RECORDED_ELSEWHERE or channel not in Opinion.Channel.values:
        raise TransitionError(_("请选择线下收到意见的渠道。"))
    if received_on > timezone.localdate():
        raise TransitionError(_("收到日期不能晚于今天。"))
    opinion = Opinion.objects.create(
        period=period,
        matter_id=period.matter_id,
        channel=channel,
        content=_check_content(content),
        article=(article or "").strip(),
        author_name=(author_name or "").strip(),
        contact=(contact or "").strip(),
        received_on=received_on,
        recorded_by=by,
    )
    events.opinion_recorded(opinion, by=by)
    matter_touch(matter_id=period.matter_id)
    return opinion


def _selected(period: CommentPeriod, opinion_ids: Iterable[int]) -> list[Opinion]:
    ids = sorted({int(pk) for pk in opinion_ids})
    if not ids:
        raise TransitionError(_("请先勾选要处理的意见。"))
    opinions = list(
        Opinion.objects.select_for_update()
        .filter(period=period, pk__in=ids)
        .only("pk", "moderation", "disposition", "response")
    )
    if len(opinions) != len(ids):
        raise TransitionError(_("所选意见中有不属于本次征求意见的意见。"))
    return opinions


@transaction.atomic
def opinions_moderate(
    *, period: CommentPeriod, by, opinion_ids: Iterable[int], moderation: str
) -> int:
    """Show or hide the selected opinions on the public page; one ledger row."""
    if moderation not in (Opinion.Moderation.SHOWN, Opinion.Moderation.HIDDEN):
        raise TransitionError(_("未知的公开显示选项。"))
    period = _lock_period(period)
    opinions = _selected(period, opinion_ids)
    ids = [opinion.pk for opinion in opinions]
    Opinion.objects.filter(pk__in=ids).update(moderation=moderation)
    content_changed()  # update() sends no signal
    events.opinions_moderated(period, by=by, opinions=opinions, moderation=moderation)
    # _selected() keeps only opinions of this period: one matter, touched once.
    matter_touch(matter_id=period.matter_id)
    return len(ids)


@transaction.atomic
def opinions_dispose(
    *,
    period: CommentPeriod,
    by,
    opinion_ids: Iterable[int],
    disposition: str,
    response: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """Record how the selected opinions were used; similar ones share one answer."""
    if disposition not in Opinion.Disposition.values:
        raise TransitionError(_("请选择处理结果。"))
    response = (response or "").strip()
    if disposition != Opinion.Disposition.ADOPTED and not response:
        raise TransitionError(
            _("处理结果为“%(label)s”的，须填写答复和理由。")
            % {"label": Opinion.Disposition(disposition).label}
        )
    period = _lock_period(period)
    _check_report_not_published(period)
    opinions = _selected(period, opinion_ids)
    ids = [opinion.pk for opinion in opinions]
    Opinion.objects.filter(pk__in=ids).update(
        disposition=disposition,
        response=response,
        disposed_at=now or timezone.now(),
        disposed_by=by,
    )
    content_changed()  # update() sends no signal
    events.opinions_disposed(
        period, by=by, opinions=opinions, disposition=disposition, response=response
    )
    # _selected() keeps only opinions of this period: one matter, touched once.
    matter_touch(matter_id=period.matter_id)
    return len(ids)
