"""Reads of matters shared by pages, the API, exports and reports.

Each returns a queryset whose related rows are already joined or prefetched, so a page of
any length costs the same few queries.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.search import search

from .models import (
    LEDGER_OBJECT_YEARS,
    Document,
    DraftVersion,
    LedgerEntry,
    Matter,
    PolicyArea,
    ProcedureStep,
    StageChange,
)
from .procedures import PROCEDURES, SHARED_BEFORE_DECISION, Requirement, missing_requirements
from .rules import changeable_matters, internal_matters


def _list_shape(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    return queryset.select_related("department").prefetch_related("policy_areas")


def policy_area_pairs(*, matter_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The (code, name) of each matter's policy areas, in their order, from one query on
    the link table. For long lists: Django's prefetch builds an area object and a
    queryset for every matter, and even a ``values_list`` query costs more to build than
    to run, so this one is written out (portable SQL)."""
    pairs: dict[int, list[tuple[str, str]]] = {pk: [] for pk in matter_ids}
    if not pairs:
        return pairs
    quote = connection.ops.quote_name
    link = quote(Matter.policy_areas.through._meta.db_table)
    area = quote(PolicyArea._meta.db_table)
    marks = ", ".join(["%s"] * len(pairs))
    # Table names from the models, placeholders for the ids: nothing from the user.
    sql = (
        f"SELECT l.matter_id, a.code, a.name FROM {link} l "  # noqa: S608
        f"JOIN {area} a ON a.id = l.policyarea_id WHERE l.matter_id IN ({marks}) "
        "ORDER BY a.sort_order, a.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(pairs))
        for matter_id, code, name in cursor.fetchall():
            pairs[matter_id].append((code, name))
    return pairs


POLICY_AREA_PAIRS = "policy_area_pairs"


def with_policy_area_pairs(rows: QuerySet[Matter]) -> QuerySet[Matter]:
    """``rows``, a ``values()`` query of matters, with each matter's policy areas as
    ``policy_area_pairs`` ([code, name] in their order), read by the same query on
    PostgreSQL: a JSON subquery per row costs less than a second round trip and query.
    Elsewhere unchanged: ``fill_policy_area_pairs`` then reads them in one more query."""
    if connections[rows.db].vendor != "postgresql":
        return rows
    quote = connections[rows.db].ops.quote_name
    link = quote(Matter.policy_areas.through._meta.db_table)
    area = quote(PolicyArea._meta.db_table)
    matter = quote(Matter._meta.db_table)
    # Names from the models, no parameters: nothing from the user.
    sql = (
        "SELECT coalesce(json_agg(json_build_array(a.code, a.name) "  # noqa: S608
        f"ORDER BY a.sort_order, a.code), '[]') FROM {link} l "
        f"JOIN {area} a ON a.id = l.policyarea_id WHERE l.matter_id = {matter}.id"
    )
    return rows.annotate(**{POLICY_AREA_PAIRS: RawSQL(f"({sql})", ())})  # noqa: S611


def fill_policy_area_pairs(rows: list[dict]) -> None:
    """Adds ``policy_area_pairs`` to the rows that came without (not PostgreSQL), in one
    query for all of them."""
    missing = [row["id"] for row in rows if POLICY_AREA_PAIRS not in row]
    if not missing:
        return
    areas = policy_area_pairs(matter_ids=missing)
    for row in rows:
        if POLICY_AREA_PAIRS not in row:
            row[POLICY_AREA_PAIRS] = areas[row["id"]]


def matters_public() -> QuerySet[Matter]:
    return _list_shape(Matter.objects.filter(is_published=True)).order_by("-updated_at", "-pk")


def matters_for_staff(*, user) -> QuerySet[Matter]:
    """The matters a staff member works on: their department's (lead or co-organiser);
    the general office and administrators see all (``rules.internal_matters``)."""
    return _list_shape(internal_matters(user)).order_by("-updated_at", "-pk")


def filter_matters(
    queryset: QuerySet[Matter],
    *,
    kind: str = "",
    department: str = "",
    year: int | None = None,
    stage: str = "",
    policy_area: str = "",
    overdue: bool = False,
    missing_step: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Matter]:
    """``overdue``: past the planned end of the current stage; ``missing_step``: a major
    decision without a step its procedure required for a stage it has reached."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if department:
        queryset = queryset.filter(department__code=department)
    if year:
        queryset = queryset.filter(year=year)
    if stage:
        queryset = queryset.filter(stage=stage)
    if policy_area:
        queryset = queryset.filter(policy_areas__code=policy_area)
    if overdue:
        queryset = queryset.filter(stage_due_on__lt=today or timezone.localdate())
    if missing_step:
        ids = [row.matter.pk for row in major_decisions_missing_steps(queryset)]
        queryset = queryset.filter(pk__in=ids)
    return queryset


# A reference number, whole or its start: 2026-SFJ-001, 2026-sfj.
REFERENCE_PATTERN = re.compile(r"^[0-9]{4}-[A-Za-z0-9_-]+$")


def matters_matching(queryset: QuerySet[Matter], text: str) -> QuerySet[Matter]:
    """Matters whose title, summary or policy areas' names contain every word of ``text``,
    best first (``core.search``: a title hit above the rest), and the matter whose
    reference number starts with it.

    The search page and the API's ``q`` share it. The columns are those of the index
    ``matters_matter_search`` (matters/migrations/0005_search.py, 0011 for the areas).
    """
    text = text.strip()
    also = Q(reference__startswith=text.upper()) if REFERENCE_PATTERN.match(text) else None
    return search(
        queryset,
        text,
        title="title",
        body="summary",
        labels="area_names",
        recency="updated_at",
        also=also,
    )


def drafts_for_staff(*, user) -> QuerySet[DraftVersion]:
    """Draft versions of the matters the user works on (``matters_for_staff``)."""
    matters = matters_for_staff(user=user).order_by().values("pk")
    return DraftVersion.objects.filter(matter__in=matters).select_related("matter__department")


def drafts_matching(queryset: QuerySet[DraftVersion], text: str) -> QuerySet[DraftVersion]:
    """Draft versions whose title or text contains every word of ``text``, best first; the
    columns of the index ``matters_draftversion_search``."""
    return search(queryset, text, title="title", body="text", recency="created_at")


def with_public_parts(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    """Joins what a matter's public page and the API show: its public steps, documents
    and drafts, its departments, areas and stage changes; one query each."""
    return (
        queryset.select_related("department")
        .prefetch_related(
            "policy_areas",
            "co_departments",
            Prefetch("steps", queryset=ProcedureStep.objects.filter(is_public=True)),
            Prefetch(
                "documents",
                queryset=Document.objects.filter(is_public=True, is_removed=False),
            ),
            Prefetch("drafts", queryset=DraftVersion.objects.filter(is_published=True)),
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("changed_at", "pk")),
        )
    )


def matter_public_detail(*, pk: int) -> Matter:
    """A published matter with what its public page shows, or ``Matter.DoesNotExist``."""
    return with_public_parts(Matter.objects.filter(is_published=True)).get(pk=pk)


def matter_staff_detail(*, pk: int) -> Matter:
    return (
        Matter.objects.select_related("department", "created_by")
        .prefetch_related(
            "policy_areas",
            "co_departments",
            Prefetch("steps", queryset=ProcedureStep.objects.select_related("recorded_by")),
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by", "step")),
            "drafts",
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("changed_by").order_by(
                    "changed_at", "pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def ledger_entries(
    *,
    department: str = "",
    year: int | None = None,
    kind: str = "",
    matter: Matter | None = None,
) -> QuerySet[LedgerEntry]:
    """Ledger rows, newest first, filtered as the general office's ledger view filters them."""
    queryset = LedgerEntry.objects.select_related("department", "actor", "matter")
    if matter is not None:
        queryset = queryset.filter(matter=matter)
    if department:
        queryset = queryset.filter(department__code=department)
    if year:
        queryset = queryset.filter(_ledger_year(year))
    if kind:
        queryset = queryset.filter(matter__kind=kind)
    return queryset.order_by("-created_at", "-pk")


def _ledger_year(year: int) -> Q:
    """A row is of the year of its matter; a row without one (a catalog's, a deadline's) is
    of the year of its object, as the app that wrote it registered (the catalog's year, not
    the year the row was written: the 2027 catalog is drawn up and filed in 2026)."""
    condition = Q(matter__year=year)
    for object_type, object_ids_of_year in LEDGER_OBJECT_YEARS.items():
        condition |= Q(
            matter__isnull=True, object_type=object_type, object_id__in=object_ids_of_year(year)
        )
    return condition


def matter_timeline(matter: Matter) -> list[dict]:
    """Every stage of the matter's procedure with where the matter is and when it got there.

    A stage passed is ``done`` when the steps it needs are on record (``steps`` as
    prefetched: the public page sees the public ones), else ``unrecorded``.
    Uses the prefetched ``stage_changes`` and ``steps``: no query of its own.
    """
    procedure = matter.procedure
    entered = {procedure.stages[0].code: matter.created_at}
    for change in matter.stage_changes.all():  # oldest first: the latest entry wins
        entered[change.to_stage] = change.changed_at
    entered[matter.stage] = matter.stage_entered_at
    current = procedure.index(matter.stage)
    recorded = {step.step_type for step in matter.steps.all()}

    def passed(code: str) -> str:
        # Completed only with its required steps on record; moving on is not doing them.
        groups = procedure.steps_completing(matter, code)
        met = all(any(step in recorded for step in group) for group in groups)
        return "done" if met else "unrecorded"

    return [
        {
            "code": stage.code,
            "label": stage.label,
            "state": passed(stage.code)
            if i < current
            else ("current" if i == current else "todo"),
            "entered_at": entered.get(stage.code),
        }
        for i, stage in enumerate(procedure.stages)
    ]


def matters_awaiting_action(*, user, today) -> QuerySet[Matter]:
    """The user's department's matters whose current stage is past its planned end,
    and those not yet published, for the workbench."""
    return (
        changeable_matters(user)
        .filter(Q(stage_due_on__lt=today) | Q(is_published=False))
        .select_related("department")
        .order_by("stage_due_on", "-updated_at")
    )


def ledger_entries_for_object(*, object_type: str, object_id: int) -> QuerySet[LedgerEntry]:
    """The ledger rows another app wrote about one of its objects (a plan, a deadline)."""
    return (
        LedgerEntry.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


# ------------------------------------------------------------------- supervision figures


@dataclass(frozen=True)
class StageCount:
    """How many of a department's matters of one kind are in one stage, and how many of
    them are past that stage's planned end."""

    department_id: int
    kind: str
    stage: str
    total: int
    overdue: int


def matter_stage_counts(
    *, year: int, today: datetime.date, department_id: int | None = None
) -> list[StageCount]:
    """The year's matters by lead department, kind and current stage, in one grouped query.

    Overdue in stage: ``stage_due_on`` (the planned end of the current stage) before today.
    """
    queryset = Matter.objects.filter(year=year)
    if department_id is not None:
        queryset = queryset.filter(department_id=department_id)
    rows = (
        queryset.values("department_id", "kind", "stage")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(stage_due_on__lt=today)))
        .order_by()
    )
    return [StageCount(**row) for row in rows]


@dataclass(frozen=True)
class MissingSteps:
    """A major decision and the requirements of its procedure it has gone past unmet."""

    matter: Matter
    requirements: tuple[Requirement, ...]

    @property
    def steps_display(self) -> str:
        return "；".join(requirement.describe() for requirement in self.requirements)


# Every step type some requirement names: the recorded steps that are counted per matter.
_REQUIRED_STEP_TYPES = sorted(
    {
        str(step)
        for procedure in PROCEDURES.values()
        for requirement in (*procedure.requirements, *SHARED_BEFORE_DECISION)
        for step in requirement.steps
    }
)
_FLAGS = ("is_major_decision", "is_contested", "affects_stability", "seeks_non_party_opinions")


def _unmet(matter: Matter, recorded: set[str]) -> tuple[Requirement, ...]:
    """Requirements of every stage the matter has entered (its current one included)."""
    procedure = matter.procedure
    reached = procedure.stages[1 : procedure.index(matter.stage) + 1]
    return tuple(
        requirement
        for stage in reached
        for requirement in missing_requirements(matter, stage.code, recorded)
    )


def major_decisions_missing_steps(matters: QuerySet[Matter]) -> list[MissingSteps]:
    """The major decisions among ``matters`` that have entered a stage without a step the
    procedure requires before it (e.g. decided, then listed as a major decision, with no
    legality review on record), oldest reference first.

    One grouped query: each matter with a count of its recorded steps of every type a
    requirement names; ``procedures`` decides in Python what is missing.
    """
    counts = {
        f"recorded_{step}": Count("steps", filter=Q(steps__step_type=step))
        for step in _REQUIRED_STEP_TYPES
    }
    rows = (
        Matter.objects.filter(pk__in=matters.order_by().values("pk"), is_major_decision=True)
        .only("pk", "reference", "title", "department_id", "kind", "stage", "year", *_FLAGS)
        .annotate(**counts)
        .order_by("reference")
    )
    found = []
    for matter in rows:
        recorded = {step for step in _REQUIRED_STEP_TYPES if getattr(matter, f"recorded_{step}")}
        unmet = _unmet(matter, recorded)
        if unmet:
            found.append(MissingSteps(matter=matter, requirements=unmet))
    return found


def matter_years() -> set[int]:
    """Every year some matter is filed under (one query)."""
    return set(Matter.objects.order_by().values_list("year", flat=True).distinct())


def matters_past_stage_due(*, today: datetime.date) -> QuerySet[Matter]:
    """Matters whose current stage has passed its planned end."""
    return Matter.objects.filter(stage_due_on__lt=today)
