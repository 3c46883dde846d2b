"""Reads of suggestions and proposals: the year's figures per department (办理情况统计)
and, for each figure, the list of the items it counts.

Every figure is defined once, in ``FIGURES``, as a filter on proposals; the counts are
those filters counted (in three grouped queries for the whole table), so a figure and the
list it links to can never disagree.

- Assignments belong to the department they were made to, whether it kept the item or
  returned it: ``assigned``, ``signed_on_time``, ``signed_late``, ``returned``.
- The rest belong to the item's current lead department: ``replied`` (the first round's
  reply sent), ``replied_on_time``, ``replied_late``, ``overdue`` (not yet replied in the
  current round and past its due date), ``class_a``/``b``/``c`` (the latest reply's
  class), ``rated``, ``satisfied`` (满意 or 基本满意, the lead author's latest rating),
  ``dissatisfied``, ``second_round`` (handled more than once), ``verdict_<code>``.
- Shares: class shares of ``replied``; satisfaction of ``rated``; on time of ``replied``.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.search import search

from .models import Assignment, Author, CoDepartment, Evaluation, Proposal, Rating, Reply
from .rules import public_proposals

Status = Proposal.Status
OPEN = (Status.ASSIGNED, Status.HANDLING, Status.SECOND_ROUND)
SATISFIED = (Proposal.Satisfaction.SATISFIED, Proposal.Satisfaction.BASICALLY_SATISFIED)


def _assigned_to(department_id, **extra) -> Q:
    assignments = Assignment.objects.filter(proposal=OuterRef("pk"), **extra)
    if department_id is not None:
        assignments = assignments.filter(department_id=department_id)
    return Q(Exists(assignments))


def _first_reply(**extra) -> Q:
    return Q(
        Exists(
            Reply.objects.filter(
                proposal=OuterRef("pk"), round=1, status=Reply.Status.SENT, **extra
            )
        )
    )


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    # The filter on proposals (given the department id, None for the city, and today).
    where: object
    by_assignment: bool = False


def _figures() -> dict[str, Figure]:
    figures = [
        Figure("assigned", _("交办"), lambda d, today: _assigned_to(d), True),
        Figure(
            "signed_on_time",
            _("按期签收"),
            lambda d, today: _assigned_to(d, outcome=Assignment.Outcome.SIGNED, on_time=True),
            True,
        ),
        Figure(
            "signed_late",
            _("逾期签收"),
            lambda d, today: _assigned_to(d, outcome=Assignment.Outcome.SIGNED, on_time=False),
            True,
        ),
        Figure(
            "returned",
            _("退回"),
            lambda d, today: _assigned_to(d, outcome=Assignment.Outcome.RETURNED),
            True,
        ),
        Figure("replied", _("已答复"), lambda d, today: _first_reply()),
        Figure("replied_on_time", _("按期答复"), lambda d, today: _first_reply(on_time=True)),
        Figure("replied_late", _("逾期答复"), lambda d, today: _first_reply(on_time=False)),
        Figure(
            "overdue",
            _("超期未答复"),
            lambda d, today: (
                Q(status__in=(Status.HANDLING, Status.SECOND_ROUND, Status.ASSIGNED))
                & Q(due_date__lt=today)
            ),
        ),
        Figure("class_a", _("A类"), lambda d, today: Q(reply_class="A")),
        Figure("class_b", _("B类"), lambda d, today: Q(reply_class="B")),
        Figure("class_c", _("C类"), lambda d, today: Q(reply_class="C")),
        Figure("rated", _("已测评"), lambda d, today: ~Q(satisfaction="")),
        Figure("satisfied", _("满意和基本满意"), lambda d, today: Q(satisfaction__in=SATISFIED)),
        Figure(
            "dissatisfied",
            _("不满意"),
            lambda d, today: Q(satisfaction=Proposal.Satisfaction.DISSATISFIED),
        ),
        Figure("second_round", _("二次办理"), lambda d, today: Q(round__gte=2)),
    ]
    figures += [
        Figure(f"verdict_{code}", label, lambda d, today, code=code: Q(verdict=code))
        for code, label in Proposal.Verdict.choices
    ]
    return {figure.key: figure for figure in figures}


FIGURES = _figures()


def proposals_for_figure(
    queryset: QuerySet[Proposal],
    key: str,
    *,
    department_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Proposal]:
    """The items a figure counts (``key`` in ``FIGURES``), of one department or the city.
    ``KeyError`` for an unknown key."""
    figure = FIGURES[key]
    today = today or timezone.localdate()
    queryset = queryset.filter(figure.where(department_id, today))
    if department_id is not None and not figure.by_assignment:
        queryset = queryset.filter(lead_department_id=department_id)
    return queryset


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage with one decimal, None when ``whole`` is 0."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass
class Row:
    """One department's figures (or the city's, ``department`` None)."""

    department: Department | None
    counts: dict = field(default_factory=lambda: defaultdict(int))

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    @property
    def on_time_share(self):
        return share(self.counts["replied_on_time"], self.counts["replied"])

    @property
    def signed_on_time_share(self):
        answered = self.counts["signed_on_time"] + self.counts["signed_late"]
        return share(self.counts["signed_on_time"], answered)

    @property
    def satisfied_share(self):
        return share(self.counts["satisfied"], self.counts["rated"])

    def class_share(self, code: str):
        return share(self.counts[f"class_{code.lower()}"], self.counts["replied"])

    @property
    def class_a_share(self):
        return self.class_share("A")

    @property
    def class_b_share(self):
        return self.class_share("B")

    @property
    def class_c_share(self):
        return self.class_share("C")


def figures(
    year: int, *, kind: str | None = None, today: datetime.date | None = None
) -> tuple[list[Row], Row]:
    """The year's figures per department (those with anything to count, in the portal's
    department order) and for the city. Four grouped queries and the departments, whatever
    the year's size."""
    today = today or timezone.localdate()
    proposals = Proposal.objects.filter(year=year)
    if kind:
        proposals = proposals.filter(kind=kind)
    rows: dict[int, Row] = {}

    def row(department_id: int) -> Row:
        return rows.setdefault(department_id, Row(department=None))

    by_assignment = [figure for figure in FIGURES.values() if figure.by_assignment]
    assignment_counts = (
        Assignment.objects.filter(proposal__in=proposals)
        .values("department_id")
        .annotate(
            assigned=Count("proposal", distinct=True),
            signed_on_time=Count(
                "proposal",
                filter=Q(outcome=Assignment.Outcome.SIGNED, on_time=True),
                distinct=True,
            ),
            signed_late=Count(
                "proposal",
                filter=Q(outcome=Assignment.Outcome.SIGNED, on_time=False),
                distinct=True,
            ),
            returned=Count(
                "proposal", filter=Q(outcome=Assignment.Outcome.RETURNED), distinct=True
            ),
        )
    )
    for values in assignment_counts:
        target = row(values["department_id"])
        for figure in by_assignment:
            target.counts[figure.key] = values[figure.key]

    reply_counts = (
        Reply.objects.filter(proposal__in=proposals, round=1, status=Reply.Status.SENT)
        .values("proposal__lead_department_id")
        .annotate(
            replied=Count("pk"),
            replied_on_time=Count("pk", filter=Q(on_time=True)),
            replied_late=Count("pk", filter=Q(on_time=False)),
        )
    )
    for values in reply_counts:
        target = row(values["proposal__lead_department_id"])
        for key in ("replied", "replied_on_time", "replied_late"):
            target.counts[key] = values[key]

    item_figures = [
        figure
        for figure in FIGURES.values()
        if not figure.by_assignment and not figure.key.startswith("replied")
    ]
    item_counts = (
        proposals.exclude(lead_department=None)
        .values("lead_department_id")
        .annotate(
            **{figure.key: Count("pk", filter=figure.where(None, today)) for figure in item_figures}
        )
    )
    for values in item_counts:
        target = row(values["lead_department_id"])
        for figure in item_figures:
            target.counts[figure.key] = values[figure.key]

    departments = Department.objects.in_bulk(list(rows))
    ordered = sorted(
        rows.items(), key=lambda pair: (departments[pair[0]].sort_order, departments[pair[0]].code)
    )
    city = Row(department=None)
    result = []
    for department_id, target in ordered:
        target.department = departments[department_id]
        result.append(target)
        for key, value in target.counts.items():
            city.counts[key] += value
    # An item assigned to two departments in turn (returned, reassigned) counts once for
    # the city, as its list shows it once.
    city_assignments = proposals.aggregate(
        **{figure.key: Count("pk", filter=figure.where(None, today)) for figure in by_assignment}
    )
    for figure in by_assignment:
        city.counts[figure.key] = city_assignments[figure.key]
    return result, city


def years() -> list[int]:
    """The years that have items, newest first."""
    return list(Proposal.objects.order_by("-year").values_list("year", flat=True).distinct())


def timeline(proposal: Proposal) -> QuerySet:
    """The item's ledger rows, oldest first (its timeline on the staff page): the rows
    about the item and about each of its parts (assignments, contacts, replies, ...)."""
    from matters.models import LedgerEntry

    parts = {
        "proposal": [proposal.pk],
        "assignment": proposal.assignments.values("pk"),
        "attachment": proposal.attachments.values("pk"),
        "codepartment": proposal.co_departments.values("pk"),
        "contact": proposal.contacts.values("pk"),
        "extension": proposal.extensions.values("pk"),
        "reply": proposal.replies.values("pk"),
        "rating": Rating.objects.filter(reply__proposal=proposal).values("pk"),
        "evaluation": Evaluation.objects.filter(proposal=proposal).values("pk"),
    }
    where = Q(pk__in=[])
    for object_type, ids in parts.items():
        where |= Q(object_type=object_type, object_id__in=ids)
    return LedgerEntry.objects.filter(where).select_related("actor").order_by("created_at", "pk")


# ------------------------------------------------------------------- the staff lists' tabs

DUE_SOON_DAYS = 15


def staff_tabs(department_id: int | None, today: datetime.date) -> dict[str, Q]:
    """The department list's tabs, each a filter on the items the user may see: for a
    department the first five are the items it leads, ``co`` those it co-handles; for the
    office (``department_id`` None) every department's, and no ``co``."""
    lead = Q(lead_department_id=department_id) if department_id else Q(pk__isnull=False)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    tabs = {
        "": Q(pk__isnull=False),
        "assigned": lead & Q(status=Status.ASSIGNED),
        "handling": lead & Q(status__in=(Status.HANDLING, Status.SECOND_ROUND)),
        "due_soon": lead & Q(status__in=OPEN, due_date__gte=today, due_date__lte=soon),
        "overdue": lead & Q(status__in=OPEN, due_date__lt=today),
        "replied": lead & Q(status__in=(Status.REPLIED, Status.CLOSED)),
    }
    if department_id:
        tabs["co"] = Q(co_departments__department_id=department_id)
    return tabs


def count_by(queryset: QuerySet[Proposal], filters: dict[str, Q]) -> dict[str, int]:
    """How many items each filter selects, in one query."""
    if not filters:
        return {}
    return queryset.aggregate(
        **{
            f"n_{key or 'all'}": Count("pk", filter=where, distinct=True)
            for key, where in filters.items()
        }
    )


def office_queues() -> dict[str, Q]:
    """The office's queues: to assign, returned to reassign, extensions to decide, replied
    and waiting for the authors' ratings."""
    from .models import Extension

    return {
        "registered": Q(status=Status.REGISTERED),
        "returned": Q(status=Status.RETURNED),
        "extensions": Q(extensions__status=Extension.Status.PENDING),
        "replied": Q(status=Status.REPLIED),
    }


def workbench_counts(user, *, today: datetime.date | None = None) -> dict[str, int]:
    """The counts the workbench shows: a department's tabs, or the office's queues."""
    from accounts.rules import is_general_office, member_department_id

    from .rules import visible_proposals

    today = today or timezone.localdate()
    if is_general_office(user):
        filters = office_queues()
    else:
        department_id = member_department_id(user)
        if department_id is None:
            return {}
        tabs = staff_tabs(department_id, today)
        filters = {key: tabs[key] for key in ("assigned", "due_soon", "overdue")}
    counts = count_by(visible_proposals(user), filters)
    return {key: counts[f"n_{key}"] for key in filters}


# ------------------------------------------------------------------------ what the public reads
# The public pages, search, the API and open data read items through these. An author is
# read with the name and category only, a reply without its contact phone: the columns a
# public answer may show, and no more (tests/proposals/test_public_pages.py and the API,
# search, open-data and feed tests hold every public answer free of contact data).

PUBLIC_AUTHOR_FIELDS = (
    "proposal_id",
    "role",
    "position",
    "participant__name",
    "participant__category",
)
PUBLIC_REPLY_FIELDS = (
    "proposal_id", "round", "document_number", "body", "reply_class", "contact_person",
    "status", "sent_at",
)  # fmt: skip


def proposals_public() -> QuerySet[Proposal]:
    """The public items (``rules.public_proposals``) with their lead department, in the
    order of the congress's and the CPPCC's own lists: newest year, kind, number."""
    return (
        public_proposals()
        .select_related("lead_department")
        .order_by("-year", "kind", "number", "pk")
    )


def filter_proposals(
    queryset: QuerySet[Proposal],
    *,
    kind: str = "",
    year: int | None = None,
    department: str = "",
    reply_class: str = "",
) -> QuerySet[Proposal]:
    """``department``: the lead department's code."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(year=year)
    if department:
        queryset = queryset.filter(lead_department__code=department)
    if reply_class:
        queryset = queryset.filter(reply_class=reply_class)
    return queryset


# An item's number as people write it: 0123, 123, 第0123号, 第123号.
NUMBER_PATTERN = re.compile(r"^第?\s*0*([0-9]{1,8})\s*号?$")


def _number_match(text: str) -> Q | None:
    found = NUMBER_PATTERN.match(text)
    if found is None:
        return None
    digits = found.group(1)
    # Numbers are kept as the list gives them, usually zero-padded to four places.
    candidates = {digits, *(digits.zfill(width) for width in (2, 3, 4, 5))}
    return Q(number__in=sorted(candidates))


def proposals_matching(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Items whose title or body contains every word of ``text`` (``core.search``: Chinese
    by bigrams, a title hit first), and the items whose number it is (0123, 第123号).

    On PostgreSQL the match and the rank read the stored columns ``search_vector`` (GIN
    index ``proposals_proposal_search``) and ``search_title``
    (proposals/migrations/0002_search.py)."""
    text = text.strip()
    return search(
        queryset,
        text,
        title="title",
        body="body",
        recency="updated_at",
        also=_number_match(text),
    )


def with_public_parts(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Joins what an item's public page and the API's detail show: its authors' names and
    categories, its co-departments and its sent replies (each round), one query each."""
    return queryset.select_related("lead_department", "policy_area").prefetch_related(
        Prefetch(
            "authors",
            queryset=Author.objects.select_related("participant")
            .only(*PUBLIC_AUTHOR_FIELDS)
            .order_by("position", "pk"),
            to_attr="public_authors",
        ),
        Prefetch(
            "co_departments",
            queryset=CoDepartment.objects.select_related("department").order_by("pk"),
            to_attr="public_co_departments",
        ),
        Prefetch(
            "replies",
            queryset=Reply.objects.filter(status=Reply.Status.SENT)
            .only("pk", *PUBLIC_REPLY_FIELDS)
            .order_by("round"),
            to_attr="public_replies",
        ),
    )


def proposal_public_detail(*, pk: int) -> Proposal:
    """A public item with what its page shows, or ``Proposal.DoesNotExist``."""
    return with_public_parts(proposals_public()).get(pk=pk)


def public_years() -> list[int]:
    """The years that have public items, newest first (the list's year filter)."""
    return list(public_proposals().order_by("-year").values_list("year", flat=True).distinct())
