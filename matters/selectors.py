"""Reads of matters shared by pages, the API, exports and reports.

Each returns a queryset whose related rows are already joined or prefetched, so a page of
any length costs the same few queries.
"""

from django.db.models import Prefetch, Q, QuerySet

from accounts.rules import is_general_office, is_system_administrator

from .models import Document, DraftVersion, LedgerEntry, Matter, ProcedureStep, StageChange


def _list_shape(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    return queryset.select_related("department").prefetch_related("policy_areas")


def matters_public() -> QuerySet[Matter]:
    return _list_shape(Matter.objects.filter(is_published=True)).order_by("-updated_at", "-pk")


def matters_for_staff(*, user) -> QuerySet[Matter]:
    """The matters a staff member works on: their department's (lead or co-organiser);
    the general office and administrators see all."""
    queryset = Matter.objects.all()
    if not (is_general_office(user) or is_system_administrator(user)):
        if not user.department_id:
            return Matter.objects.none()
        queryset = queryset.filter(
            Q(department_id=user.department_id) | Q(co_departments=user.department_id)
        ).distinct()
    return _list_shape(queryset).order_by("-updated_at", "-pk")


def filter_matters(
    queryset: QuerySet[Matter],
    *,
    kind: str = "",
    department: str = "",
    year: int | None = None,
    stage: str = "",
    policy_area: str = "",
) -> QuerySet[Matter]:
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
    return queryset


def matter_public_detail(*, pk: int) -> Matter:
    """A published matter with what its public page shows, or ``Matter.DoesNotExist``."""
    return (
        Matter.objects.filter(is_published=True)
        .select_related("department")
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
        .get(pk=pk)
    )


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
        queryset = queryset.filter(matter__year=year)
    if kind:
        queryset = queryset.filter(matter__kind=kind)
    return queryset.order_by("-created_at", "-pk")


def matter_timeline(matter: Matter) -> list[dict]:
    """Every stage of the matter's procedure with where the matter is and when it got there.

    Uses the prefetched ``stage_changes``: no query of its own.
    """
    procedure = matter.procedure
    entered = {procedure.stages[0].code: matter.created_at}
    for change in matter.stage_changes.all():  # oldest first: the latest entry wins
        entered[change.to_stage] = change.changed_at
    entered[matter.stage] = matter.stage_entered_at
    current = procedure.index(matter.stage)
    return [
        {
            "code": stage.code,
            "label": stage.label,
            "state": "done" if i < current else ("current" if i == current else "todo"),
            "entered_at": entered.get(stage.code),
        }
        for i, stage in enumerate(procedure.stages)
    ]


def matters_awaiting_action(*, user, today) -> QuerySet[Matter]:
    """The user's department's matters whose current stage is past its planned end,
    and those not yet published, for the workbench."""
    return (
        Matter.objects.filter(department_id=user.department_id)
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
