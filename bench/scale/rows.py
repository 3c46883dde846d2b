"""Finding, deleting and writing scale rows (PostgreSQL ``COPY``), and allocating their ids."""

import csv
import datetime as dt
import io
import itertools
import json
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Max, Q

from accounts.models import Department, User
from annual_plans.models import AnnualPlan, PlanItem
from core.encrypted_fields import EncryptedCharField
from matters.models import Matter, StageChange
from participation.models import Activity, CommentPeriod, Invitation, Opinion, Participant
from proposals.models import (
    Assignment,
    Attachment,
    Author,
    CoDepartment,
    Contact,
    Evaluation,
    Extension,
    Proposal,
    Rating,
    Reply,
)
from surveys.models import Answer, PanelMember, Question, Response, Survey, Tally

from .text import (
    CHUNK,
    DEPARTMENT_PREFIX,
    PROPOSAL_NUMBER_PREFIX,
    REFERENCE_PREFIX,
    SURVEY_TITLE,
    USERNAME_PREFIX,
)

# ---------------------------------------------------------------------------------------
# Finding and deleting scale data
# ---------------------------------------------------------------------------------------


def scale_matters():
    return Matter.objects.filter(reference__startswith=REFERENCE_PREFIX)


def scale_proposals():
    return Proposal.objects.filter(number__startswith=PROPOSAL_NUMBER_PREFIX)


def scale_surveys():
    return Survey.objects.filter(title=SURVEY_TITLE)


def scale_participants():
    # Made by the scale's own accounts (their e-mails are encrypted: no lookup on them).
    return Participant.objects.filter(created_by__username__startswith=USERNAME_PREFIX)


def scale_data_present() -> bool:
    return (
        scale_matters().exists()
        or scale_proposals().exists()
        or scale_surveys().exists()
        or Department.objects.filter(code__startswith=DEPARTMENT_PREFIX).exists()
        or User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
        or scale_participants().exists()
    )


@transaction.atomic
def scale_data_delete(log: Callable[[str], None] = print) -> None:
    """Delete every scale row, children first (the foreign keys PROTECT). The ledger is
    never touched: if it holds rows about scale data, deleting that data fails."""
    matters = scale_matters()
    departments = Department.objects.filter(code__startswith=DEPARTMENT_PREFIX)
    proposals = scale_proposals()
    surveys = scale_surveys()
    survey_ids = list(surveys.values_list("pk", flat=True))
    # A display condition protects the option it points at, also from its own survey's
    # deletion: the conditions go first.
    Question.objects.filter(survey__in=survey_ids).update(shown_if=None)
    steps = [
        ("survey tallies", Tally.objects.filter(survey_id__in=survey_ids)),
        ("survey answers", Answer.objects.filter(response__survey__in=survey_ids)),
        ("survey responses", Response.objects.filter(survey__in=survey_ids)),
        ("survey panel", PanelMember.objects.filter(survey__in=survey_ids)),
        ("surveys", Survey.objects.filter(pk__in=survey_ids)),
        ("proposal ratings", Rating.objects.filter(reply__proposal__in=proposals)),
        ("proposal replies", Reply.objects.filter(proposal__in=proposals)),
        *(
            (f"proposal {model._meta.model_name}s", model.objects.filter(proposal__in=proposals))
            for model in (
                Contact,
                Assignment,
                Author,
                Evaluation,
                Extension,
                CoDepartment,
                Attachment,
            )
        ),
        ("proposals", proposals),
        ("opinions", Opinion.objects.filter(matter__in=matters)),
        ("invitations", Invitation.objects.filter(activity__matter__in=matters)),
        ("invitations", Invitation.objects.filter(participant__in=scale_participants())),
        ("activities", Activity.objects.filter(matter__in=matters)),
        ("comment periods", CommentPeriod.objects.filter(matter__in=matters)),
        ("stage changes", StageChange.objects.filter(matter__in=matters)),
        (
            "plan items",
            PlanItem.objects.filter(Q(plan__department__in=departments) | Q(matter__in=matters)),
        ),
        ("annual plans", AnnualPlan.objects.filter(department__in=departments)),
        ("matter areas", Matter.policy_areas.through.objects.filter(matter__in=matters)),
        ("matter co-departments", Matter.co_departments.through.objects.filter(matter__in=matters)),
        ("matters", matters),
        ("participants", scale_participants()),
        ("users", User.objects.filter(username__startswith=USERNAME_PREFIX)),
        ("departments", departments),
    ]
    for label, queryset in steps:
        started = time.monotonic()
        count = queryset.delete()[0]
        log(f"  deleted {label:<22} {count:>10,} rows {time.monotonic() - started:7.1f}s")


# ---------------------------------------------------------------------------------------
# Writing rows
# ---------------------------------------------------------------------------------------


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def insert(model, rows: list[dict]) -> int:
    """Insert ``rows`` (dicts of attname to value, ids included) into ``model``'s table."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
        return len(rows)
    opts = model._meta
    names = list(rows[0])
    columns = ", ".join(connection.ops.quote_name(opts.get_field(n).column) for n in names)
    # COPY bypasses the fields: contacts are encrypted here, as the field would store them.
    encrypted = {n for n in names if isinstance(opts.get_field(n), EncryptedCharField)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(
            [
                _copy_value(
                    opts.get_field(name).get_prep_value(row[name])
                    if name in encrypted
                    else row[name]
                )
                for name in names
            ]
        )
    buffer.seek(0)
    table = connection.ops.quote_name(opts.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
    return len(rows)


def insert_chunks(model, rows: Iterable[dict], chunk: int = CHUNK) -> int:
    total = 0
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, chunk)):
        total += insert(model, batch)
    return total


def reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            top = f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}"  # noqa: S608
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(({top}), 1))", [table]
            )


def analyze(models) -> None:
    """Statistics for the planner and, outside a transaction, the visibility map too
    (VACUUM): without it a count of 70,000 published matters cannot be answered from the
    index alone and reads the whole table (11 ms against 110 ms at scale)."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


class Ids:
    """Allocates ids past each table's largest, so rows can name each other before insert."""

    def __init__(self):
        self._next: dict[type, int] = {}

    def take(self, model) -> int:
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value
