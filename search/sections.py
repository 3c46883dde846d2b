"""The kinds of result the search page shows, composed from each app's selectors.

Each section says which rows a user may see (a selector of the owning app), how they
match a query (that app's ``*_matching``, which knows the columns of its search index)
and how one row shows as a hit. Every row source joins what its hit reads, so a page costs
one query per section whatever the number of hits.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annual_plans.selectors import items_matching, items_searchable
from calls.search import calls_matching, calls_searchable
from core.search import bigrams, highlight, normalize, query_words
from matters.selectors import drafts_for_staff, drafts_matching, matters_matching, matters_public
from participation.selectors.activities import activities_matching, activities_public
from participation.selectors.comments import (
    feedback_reports_matching,
    feedback_reports_public,
    opinions_for_staff,
    opinions_matching,
)
from proposals.selectors import proposals_matching, proposals_public
from surveys.links import public_path as survey_path
from surveys.search import surveys_matching, surveys_searchable

SNIPPET_LENGTH = 120
OPINION_TITLE_LENGTH = 60


@dataclass(frozen=True)
class Hit:
    title: SafeString | str
    url: str
    department: str
    snippet: SafeString | str = ""
    date: datetime.date | datetime.datetime | None = None
    date_label: str | Promise = ""
    tags: list = field(default_factory=list)
    context: str = ""  # where the hit belongs: its matter, its comment period


@dataclass(frozen=True)
class Section:
    code: str
    label: Promise
    rows: Callable  # (user) -> QuerySet of what the user may see
    matching: Callable[[QuerySet, str], QuerySet]
    hit: Callable  # (row, q) -> Hit
    staff_only: bool = False

    def results(self, *, user, q: str) -> QuerySet:
        return self.matching(self.rows(user), q)


def _snippet(text: str, q: str) -> SafeString:
    return highlight(text, q, length=SNIPPET_LENGTH)


def _matter_snippet(matter, q: str) -> SafeString:
    """The summary around the match, followed by the matter's policy areas when the query
    names one of them: a matter found by its area alone then shows why."""
    snippet = _snippet(matter.summary, q)
    names = matter.area_name_list  # the stored copy: no query per hit
    terms = {term for word in query_words(q) for term in (word, *bigrams(word))}
    if not any(term in normalize(name) for name in names for term in terms):
        return snippet
    areas = format_html_join("、", "{}", ((highlight(_(name), q),) for name in names))
    return format_html("{}　{}{}", snippet, _("政策领域："), areas)


def _matter_hit(matter, q: str) -> Hit:
    return Hit(
        title=highlight(matter.title, q),
        url=reverse("matters:public_detail", args=[matter.pk]),
        department=matter.department.short_name,
        snippet=_matter_snippet(matter, q),
        date=matter.updated_at,
        date_label=_("更新于"),
        tags=[matter.get_kind_display()],
    )


def _item_hit(item, q: str) -> Hit:
    plan = item.plan
    return Hit(
        title=highlight(item.title, q),
        url=reverse("annual_plans:public_detail", args=[plan.pk]),
        department=plan.department.short_name,
        snippet=format_html(
            "{}{}　{}{}",
            _("所属目录："),
            _("%(year)d年度计划目录") % {"year": plan.year},
            _("责任处室："),
            highlight(item.responsible_office, q),
        ),
        date=plan.published_at,
        date_label=_("公示于"),
        tags=[item.get_kind_display()],
    )


def _activity_hit(activity, q: str) -> Hit:
    return Hit(
        title=highlight(activity.title, q),
        url=reverse("participation:activity_detail", args=[activity.pk]),
        department=activity.matter.department.short_name,
        snippet=_snippet(activity.agenda, q),
        date=activity.starts_at,
        date_label=_("举行于"),
        tags=[activity.get_kind_display()],
        context=_("协商事项：%(title)s") % {"title": activity.matter.title},
    )


def _feedback_hit(period, q: str) -> Hit:
    return Hit(
        title=highlight(period.title, q),
        url=reverse("participation:comment_period", args=[period.pk]),
        department=period.matter.department.short_name,
        snippet=_snippet(period.report_summary, q),
        date=period.report_published_at,
        date_label=_("公开于"),
        context=_("协商事项：%(title)s") % {"title": period.matter.title},
    )


def _proposal_hit(proposal, q: str) -> Hit:
    # Authors and their contacts stay off the hit: the title, the body and the outcome.
    tags = [proposal.get_kind_display()]
    if proposal.is_replied and proposal.reply_class:
        tags.append(proposal.get_reply_class_display())
    department = proposal.lead_department
    return Hit(
        title=highlight(proposal.title, q),
        url=reverse("proposals:public_detail", args=[proposal.pk]),
        department=department.short_name if department else "",
        snippet=_snippet(proposal.body, q),
        date=proposal.replied_at if proposal.is_replied else None,
        date_label=_("答复于"),
        tags=tags,
        context=proposal.reference,
    )


def _survey_hit(survey, q: str) -> Hit:
    # The survey as the public sees it: never a response or a respondent.
    matter = survey.matter
    return Hit(
        title=highlight(survey.title, q),
        url=survey_path(survey.pk),
        department=survey.department.short_name,
        snippet=_snippet(survey.introduction, q),
        date=survey.opens_at,
        date_label=_("开始于"),
        tags=[survey.get_kind_display(), survey.get_status_display()],
        context=_("协商事项：%(title)s") % {"title": matter.title} if matter else "",
    )


def _call_hit(call, q: str) -> Hit:
    # The call as the public sees it: never a proposal or a proposer.
    return Hit(
        title=highlight(call.title, q),
        url=reverse("calls:detail", args=[call.pk]),
        department=call.department.short_name,
        snippet=_snippet(call.scope, q),
        date=call.starts_at,
        date_label=_("开始于"),
        tags=[call.get_kind_display(), call.status_label()],
    )


def _draft_hit(draft, q: str) -> Hit:
    matter = draft.matter
    if draft.is_published and matter.is_published:
        url = reverse("matters:draft_detail", args=[matter.pk, draft.number])
    else:
        url = reverse("matters:staff_detail", args=[matter.pk]) + "#drafts"
    return Hit(
        title=highlight(draft.title, q),
        url=url,
        department=matter.department.short_name,
        snippet=_snippet(draft.text, q),
        date=draft.created_at,
        date_label=_("创建于"),
        tags=[
            _("第%(number)d稿") % {"number": draft.number},
            _("已公开") if draft.is_published else _("未公开"),
        ],
        context=_("协商事项：%(title)s") % {"title": matter.title},
    )


def _opinion_hit(opinion, q: str) -> Hit:
    # Who sent it and how to reach them stay in the register: the hit shows the content.
    return Hit(
        title=highlight(opinion.content, q, length=OPINION_TITLE_LENGTH),
        url=reverse("participation:staff_period", args=[opinion.period_id]),
        department=opinion.matter.department.short_name,
        date=opinion.received_on,
        date_label=_("收到于"),
        tags=[opinion.get_channel_display()],
        context=_("征求意见：%(title)s") % {"title": opinion.period.title},
    )


SECTIONS = (
    Section(
        "matters",
        gettext_lazy("协商事项"),
        lambda user: matters_public().prefetch_related(None),
        matters_matching,
        _matter_hit,
    ),
    Section(
        "items",
        gettext_lazy("目录事项"),
        lambda user: items_searchable(),
        items_matching,
        _item_hit,
    ),
    Section(
        "activities",
        gettext_lazy("协商活动"),
        lambda user: activities_public(),
        activities_matching,
        _activity_hit,
    ),
    Section(
        "feedback",
        gettext_lazy("意见采纳情况"),
        lambda user: feedback_reports_public(),
        feedback_reports_matching,
        _feedback_hit,
    ),
    Section(
        "proposals",
        gettext_lazy("建议提案"),
        lambda user: proposals_public(),
        proposals_matching,
        _proposal_hit,
    ),
    Section(
        "surveys",
        gettext_lazy("问卷调查"),
        lambda user: surveys_searchable(),
        surveys_matching,
        _survey_hit,
    ),
    Section(
        "calls",
        gettext_lazy("公开征集"),
        lambda user: calls_searchable(),
        calls_matching,
        _call_hit,
    ),
    Section(
        "drafts",
        gettext_lazy("草案"),
        lambda user: drafts_for_staff(user=user),
        drafts_matching,
        _draft_hit,
        staff_only=True,
    ),
    Section(
        "opinions",
        gettext_lazy("意见"),
        lambda user: opinions_for_staff(user=user),
        opinions_matching,
        _opinion_hit,
        staff_only=True,
    ),
)


def sections_for(user) -> list[Section]:
    """The sections ``user`` may search: the public ones, and for staff who use the staff
    pages also drafts and opinions (within what their own selectors let them see)."""
    staff = user.has_perm("matters.use_staff_pages")
    return [section for section in SECTIONS if staff or not section.staff_only]
