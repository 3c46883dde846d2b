"""The counters results are read from (``Tally``), kept in step with the responses.

A submission adds one to every tally its answers fall under, in its own transaction and
with one statement; voiding a response takes the same away. ``rebuild`` recomputes a
survey's tallies from the answers, and ``differences`` says where the stored ones disagree
(``manage.py survey_tallies --check``; a test pins that they never do).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Prefetch

from .models import Answer, Option, Question, Response, Survey, Tally
from .questions import Choice, Row, Spec, question_type

# (question_id, option_id, row_id, value) → [count, total]
TallyKey = tuple[int, int, int, int]
RESPONSES: TallyKey = (0, 0, 0, 0)


def spec_of(question: Question, number: int = 0) -> Spec:
    """A question as ``surveys.questions`` reads it (``options`` and ``shown_if`` as
    prefetched / selected); ``number`` is its 题号 in the whole survey."""
    options = list(question.options.all())
    return Spec(
        id=question.pk,
        kind=question.kind,
        text=question.text,
        required=question.required,
        settings=question.settings or {},
        choices=tuple(Choice(o.pk, o.label, o.is_other) for o in options if not o.is_row),
        rows=tuple(Choice(o.pk, o.label) for o in options if o.is_row),
        position=number,
        shown_if=question.shown_if_id,
        shown_if_question=question.shown_if.question_id if question.shown_if_id else None,
    )


def questions_of(survey: Survey):
    return questions_of_many([survey.pk])


def questions_of_many(survey_ids):
    """The questions of several surveys, each survey's in the order they are asked."""
    return (
        Question.objects.filter(survey_id__in=list(survey_ids))
        .select_related("shown_if", "section")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("is_row", "position"))
        )
        .order_by("survey_id", "section__position", "position")
    )


def specs_of(survey: Survey) -> list[Spec]:
    """The survey's questions in the order they are asked, numbered from 1."""
    return [spec_of(question, n) for n, question in enumerate(questions_of(survey), start=1)]


def counts_for(specs: Sequence[Spec], values: Mapping[int, object]) -> dict[TallyKey, list]:
    """What one response adds: itself, each answered question, each detail."""
    counts: dict[TallyKey, list] = defaultdict(lambda: [0, Decimal(0)])
    counts[RESPONSES][0] += 1
    for spec in specs:
        value = values.get(spec.id)
        if value is None:
            continue
        kind = question_type(spec)
        answered = counts[(spec.id, 0, 0, 0)]
        answered[0] += 1
        answered[1] += kind.total(spec, value)
        for key in kind.keys(spec, value):
            counts[(spec.id, key.option_id, key.row_id, key.value)][0] += 1
    return counts


_UPSERT = """
INSERT INTO surveys_tally
    (survey_id, question_id, option_id, row_id, value, channel, category, count, total)
VALUES {rows}
ON CONFLICT (survey_id, question_id, option_id, row_id, value, channel, category)
DO UPDATE SET count = surveys_tally.count + excluded.count,
              total = surveys_tally.total + excluded.total
"""


def add(
    *, survey_id: int, channel: str, category: str, counts: Mapping[TallyKey, list], sign: int = 1
) -> None:
    """Add (``sign`` 1) or take away (−1) one response's counts, in one statement. Keys
    are sorted so two transactions never wait on each other's rows in opposite orders."""
    if not counts:
        return
    params: list = []
    for key in sorted(counts):
        count, total = counts[key]
        params += [survey_id, *key, channel, category, sign * count, str(sign * Decimal(total))]
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(counts))
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(rows=rows), params)


def stored_values(response: Response, specs: Sequence[Spec]) -> dict[int, object]:
    """A response's answers as values again (from its ``answers``, prefetched or not)."""
    rows: dict[int, list[Row]] = defaultdict(list)
    for answer in response.answers.all():
        rows[answer.question_id].append(
            Row(answer.option_id, answer.row_id, answer.rank, answer.number, answer.text)
        )
    return {
        spec.id: question_type(spec).value_from_rows(spec, rows[spec.id])
        for spec in specs
        if rows.get(spec.id)
    }


def computed(survey: Survey) -> dict[tuple, list]:
    """Every tally recomputed from the answers of the valid responses."""
    specs = specs_of(survey)
    totals: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    responses = (
        Response.objects.filter(survey=survey, voided_at__isnull=True)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("pk")))
        .order_by("pk")
    )
    for response in responses.iterator(chunk_size=2000):
        for key, (count, total) in counts_for(specs, stored_values(response, specs)).items():
            slot = totals[(*key, response.channel, response.category)]
            slot[0] += count
            slot[1] += total
    return totals


def stored(survey: Survey) -> dict[tuple, list]:
    return {
        (t.question_id, t.option_id, t.row_id, t.value, t.channel, t.category): [t.count, t.total]
        for t in Tally.objects.filter(survey_id=survey.pk)
        if t.count or t.total
    }


def differences(survey: Survey) -> list[tuple]:
    """(key, stored, computed) wherever they disagree; empty when the tallies are right."""
    have, want = stored(survey), computed(survey)
    return [
        (key, have.get(key), want.get(key))
        for key in sorted(set(have) | set(want))
        if have.get(key, [0, 0]) != want.get(key, [0, 0])
    ]


@transaction.atomic
def rebuild(survey: Survey) -> int:
    """Replace the survey's tallies by the recomputed ones; returns how many there are."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    Tally.objects.filter(survey_id=survey.pk).delete()
    rows = [
        Tally(
            survey_id=survey.pk,
            question_id=key[0],
            option_id=key[1],
            row_id=key[2],
            value=key[3],
            channel=key[4],
            category=key[5],
            count=count,
            total=total,
        )
        for key, (count, total) in computed(survey).items()
    ]
    Tally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def channels_and_categories(rows: Iterable[Tally]) -> tuple[set[str], set[str]]:
    channels, categories = set(), set()
    for row in rows:
        channels.add(row.channel)
        if row.category:
            categories.add(row.category)
    return channels, categories
