"""Reads of comment periods, opinions and feedback; each costs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.search import search

from ..models import CommentPeriod, Opinion
from ..rules import internal_comment_periods, internal_opinions

Disposition = Opinion.Disposition


def period_is_open(period: CommentPeriod, *, now: datetime.datetime | None = None) -> bool:
    """Open from ``starts_at`` included to ``ends_at`` excluded."""
    now = now or timezone.now()
    return period.starts_at <= now < period.ends_at


def period_is_closed(period: CommentPeriod, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= period.ends_at


def days_left(period: CommentPeriod, *, now: datetime.datetime | None = None) -> int:
    """Whole calendar days (Asia/Shanghai) after today up to the last day; 0 on the last day."""
    now = now or timezone.now()
    last_day = timezone.localtime(period.ends_at - datetime.timedelta(microseconds=1)).date()
    return max((last_day - timezone.localdate(now)).days, 0)


def _with_matter(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("matter__department", "draft")


def comment_periods_open(*, now: datetime.datetime | None = None) -> QuerySet:
    """Open periods of published matters, closing soonest first."""
    now = now or timezone.now()
    return _with_matter(
        CommentPeriod.objects.filter(matter__is_published=True, starts_at__lte=now, ends_at__gt=now)
    ).order_by("ends_at", "pk")


def comment_periods_public() -> QuerySet:
    """Periods of published matters, upcoming ones included (their page says when)."""
    return _with_matter(CommentPeriod.objects.filter(matter__is_published=True))


def comment_periods_of_matter(*, matter) -> QuerySet:
    return CommentPeriod.objects.filter(matter=matter).select_related("draft")


def comment_periods_for_staff(*, user) -> QuerySet:
    """Every period the user may read, with its opinion counts (one query)."""
    return (
        _with_matter(internal_comment_periods(user))
        .annotate(
            opinion_count=Count("opinions"),
            undisposed_count=Count("opinions", filter=Q(opinions__disposition="")),
        )
        .order_by("-starts_at", "pk")
    )


def opinions_public(*, period: CommentPeriod) -> QuerySet:
    """Opinions shown publicly. Contact data is never read for a public page. Answers to
    letters of solicitation are never listed (they carry who answered; the feedback
    report gives their text and disposition, and counts them by category)."""
    return (
        Opinion.objects.filter(period=period, moderation=Opinion.Moderation.SHOWN)
        .exclude(channel=Opinion.Channel.WRITTEN)
        .only("pk", "period_id", "content", "article", "author_name", "channel", "received_on")
        .order_by("created_at", "pk")
    )


def opinion_register(
    *,
    period: CommentPeriod,
    channel: str = "",
    moderation: str = "",
    disposition: str = "",
    undisposed: bool = False,
    q: str = "",
) -> QuerySet:
    queryset = Opinion.objects.filter(period=period).select_related("recorded_by", "disposed_by")
    if channel:
        queryset = queryset.filter(channel=channel)
    if moderation:
        queryset = queryset.filter(moderation=moderation)
    if disposition:
        queryset = queryset.filter(disposition=disposition)
    if undisposed:
        queryset = queryset.filter(disposition="")
    if q:
        queryset = queryset.filter(
            Q(content__icontains=q) | Q(article__icontains=q) | Q(author_name__icontains=q)
        )
    return queryset.order_by("created_at", "pk")


def opinions_for_staff(*, user) -> QuerySet:
    """Opinions in the registers the user may read (``participation.view_internal``): those
    on their department's matters, or every one for the general office and
    administrators. Contact data is never read: callers show content, not who sent it."""
    return (
        internal_opinions(user)
        .select_related("matter__department", "period")
        .defer("contact", "client_hash")
    )


def opinions_matching(queryset: QuerySet, text: str) -> QuerySet:
    """Opinions whose content contains every word of ``text``, best first, then the
    latest; the expression of the index ``participation_opinion_search`` (no title)."""
    return search(queryset, text, title=None, body="content", recency="created_at", stored=False)


# ----------------------------------------------------------------------------- feedback


def adoption_rate(*, adopted: int, partly: int, total: int, out_of_scope: int) -> float | None:
    """(采纳 + 部分采纳) ÷ (全部 − 不属于本事项); None when nothing is in scope."""
    in_scope = total - out_of_scope
    if in_scope <= 0:
        return None
    return (adopted + partly) / in_scope


def format_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class FeedbackGroup:
    disposition: str
    disposition_label: str
    response: str
    opinions: list = field(default_factory=list)


@dataclass
class FeedbackStats:
    total: int
    by_channel: list[tuple[str, int]]
    by_disposition: list[tuple[str, int]]
    undisposed: int
    adopted: int
    partly: int
    out_of_scope: int
    rate: float | None
    groups: list[FeedbackGroup]

    @property
    def rate_display(self) -> str:
        return format_rate(self.rate)


def feedback_reports_public() -> QuerySet:
    """Comment periods of published matters whose feedback report is published."""
    return _with_matter(
        CommentPeriod.objects.filter(matter__is_published=True, report_published_at__isnull=False)
    )


def feedback_reports_matching(queryset: QuerySet, text: str) -> QuerySet:
    """Feedback reports whose period title or report summary contains every word of
    ``text``, best first, then the latest published; the columns of the index
    ``participation_commentperiod_search``."""
    return search(
        queryset, text, title="title", body="report_summary", recency="report_published_at"
    )


def feedback_stats(*, period: CommentPeriod, with_groups: bool = True) -> FeedbackStats:
    """Counts by channel and disposition, the adoption rate and the answered groups.

    Two queries (counts; the opinions for the groups). Names and contact data are never
    read: the report and its PDF are public.
    """
    counts: dict[tuple[str, str], int] = {}
    for row in (
        Opinion.objects.filter(period=period)
        .values("channel", "disposition")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["channel"], row["disposition"])] = row["n"]
    total = sum(counts.values())
    by_channel = []
    for value, label in Opinion.Channel.choices:
        n = sum(c for (ch, _d), c in counts.items() if ch == value)
        if n:
            by_channel.append((str(label), n))
    per_disposition = {
        value: sum(c for (_ch, d), c in counts.items() if d == value)
        for value in [*Disposition.values, ""]
    }
    by_disposition = [(str(label), per_disposition[value]) for value, label in Disposition.choices]
    groups: list[FeedbackGroup] = []
    if with_groups:
        order = {value: n for n, value in enumerate(Disposition.values)}
        index: dict[tuple[str, str], FeedbackGroup] = {}
        labels = dict(Disposition.choices)
        opinions = (
            Opinion.objects.filter(period=period)
            .exclude(disposition="")
            .only("pk", "content", "article", "disposition", "response", "moderation")
            .order_by("created_at", "pk")
        )
        for opinion in opinions:
            key = (opinion.disposition, opinion.response.strip())
            if key not in index:
                index[key] = FeedbackGroup(
                    disposition=key[0], disposition_label=str(labels[key[0]]), response=key[1]
                )
                groups.append(index[key])
            index[key].opinions.append(opinion)
        groups.sort(key=lambda group: order[group.disposition])
    adopted = per_disposition[Disposition.ADOPTED]
    partly = per_disposition[Disposition.PARTLY_ADOPTED]
    out_of_scope = per_disposition[Disposition.OUT_OF_SCOPE]
    return FeedbackStats(
        total=total,
        by_channel=by_channel,
        by_disposition=by_disposition,
        undisposed=per_disposition[""],
        adopted=adopted,
        partly=partly,
        out_of_scope=out_of_scope,
        rate=adoption_rate(adopted=adopted, partly=partly, total=total, out_of_scope=out_of_scope),
        groups=groups,
    )


@dataclass(frozen=True)
class AdoptionRow:
    department: str
    year: int
    total: int
    adopted: int
    partly: int
    not_adopted: int
    out_of_scope: int
    undisposed: int

    @property
    def rate(self) -> float | None:
        return adoption_rate(
            adopted=self.adopted,
            partly=self.partly,
            total=self.total - self.undisposed,
            out_of_scope=self.out_of_scope,
        )

    @property
    def rate_display(self) -> str:
        return format_rate(self.rate)


def disposition_counts() -> dict[str, Count]:
    """Annotations counting opinions in all and by disposition, for grouped queries."""
    return {
        "total": Count("pk"),
        "adopted": Count("pk", filter=Q(disposition=Disposition.ADOPTED)),
        "partly": Count("pk", filter=Q(disposition=Disposition.PARTLY_ADOPTED)),
        "not_adopted": Count("pk", filter=Q(disposition=Disposition.NOT_ADOPTED)),
        "out_of_scope": Count("pk", filter=Q(disposition=Disposition.OUT_OF_SCOPE)),
        "undisposed": Count("pk", filter=Q(disposition="")),
    }


def adoption_rates(*, year: int | None = None) -> list[AdoptionRow]:
    """Adoption of opinions by lead department and matter year, in one query.

    Undisposed opinions are counted apart and left out of the rate.
    """
    queryset = Opinion.objects.all()
    if year:
        queryset = queryset.filter(matter__year=year)
    rows = (
        queryset.values("matter__department__name", "matter__department_id", "matter__year")
        .annotate(**disposition_counts())
        .order_by("-matter__year", "matter__department__name")
    )
    return [
        AdoptionRow(
            department=row["matter__department__name"],
            year=row["matter__year"],
            total=row["total"],
            adopted=row["adopted"],
            partly=row["partly"],
            not_adopted=row["not_adopted"],
            out_of_scope=row["out_of_scope"],
            undisposed=row["undisposed"],
        )
        for row in rows
    ]


def periods_needing_department(*, department_id: int, now: datetime.datetime) -> QuerySet:
    """The department's comment periods that need it: closing within 7 days, or closed
    without a published feedback report. For the workbench; one query."""
    soon = now + datetime.timedelta(days=7)
    return (
        CommentPeriod.objects.filter(matter__department_id=department_id)
        .filter(
            models.Q(starts_at__lte=now, ends_at__gt=now, ends_at__lte=soon)
            | models.Q(ends_at__lte=now, report_published_at__isnull=True)
        )
        .select_related("matter")
        .order_by("ends_at", "pk")
    )


def with_open_for_comment(queryset: QuerySet, *, now: datetime.datetime | None = None) -> QuerySet:
    """Annotates matters with ``open_for_comment``: a comment period is open right now."""
    now = now or timezone.now()
    return queryset.annotate(
        open_for_comment=models.Exists(
            CommentPeriod.objects.filter(
                matter=models.OuterRef("pk"), starts_at__lte=now, ends_at__gt=now
            )
        )
    )


def opinion_counts(*, period_ids) -> dict[int, dict[tuple[str, str], int]]:
    """Opinion counts by (channel, disposition) for each period, in one query. Only
    counts are read: no content, no names, no contact data."""
    counts: dict[int, dict[tuple[str, str], int]] = {}
    for row in (
        Opinion.objects.filter(period_id__in=list(period_ids))
        .values("period_id", "channel", "disposition")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(row["period_id"], {})[(row["channel"], row["disposition"])] = row["n"]
    return counts


def opinions_waiting_by_period(*, opinions: QuerySet[Opinion]) -> list[dict]:
    """Per comment period, how many of ``opinions`` (a rules queryset such as
    ``managed_opinions(user)``) await moderation and how many await disposition: the
    workbench's list of public input. One query; periods with nothing waiting are left out."""
    pending = Opinion.Moderation.PENDING
    return list(
        opinions.values("period_id", "period__title", "period__ends_at")
        .annotate(
            pending=models.Count("pk", filter=models.Q(moderation=pending)),
            undisposed=models.Count("pk", filter=models.Q(disposition="")),
        )
        .filter(models.Q(pending__gt=0) | models.Q(undisposed__gt=0))
        .order_by("period__ends_at", "period_id")
    )


def opinion_by_receipt(*, period: CommentPeriod, receipt: str) -> Opinion | None:
    """The opinion of ``period`` with that receipt number, once the feedback report is
    public (its answer is then public too); None otherwise. No contact data is read."""
    if not receipt or period.report_published_at is None:
        return None
    return (
        Opinion.objects.filter(period=period, receipt=receipt)
        .only(
            "pk",
            "period_id",
            "content",
            "article",
            "moderation",
            "disposition",
            "response",
            "received_on",
            "receipt",
        )
        .first()
    )
