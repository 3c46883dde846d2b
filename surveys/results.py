"""What a survey's responses add up to, read from the tallies (one query for the whole
survey, whatever the number of responses), and the few reads that need the answers
themselves: free-text answers, the cross-tabulation of two choice questions.

Shared by the staff and public results pages, the Excel tables, the PDF, the feedback
report and the API, so they can never disagree.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from .models import Answer, Response, Survey, Tally
from .questions import CHOICE_KINDS, Choice, Ranking, Spec
from .tallies import specs_of


def percent(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` in per cent, one decimal (0 when nothing was counted)."""
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _round(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def median(distribution: Sequence[tuple[Decimal, int]]) -> Decimal | None:
    """The median of values given as (value, count) pairs in ascending order."""
    n = sum(count for _v, count in distribution)
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]  # the middle one, or the two middle ones
    found, seen = [], 0
    for value, count in distribution:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (found[0] + found[1]) / 2


@dataclass
class OptionCount:
    choice: Choice
    count: int
    percent: Decimal


@dataclass
class RankRow:
    choice: Choice
    points: int  # Borda: place r of K earns K − r + 1
    mean_rank: Decimal | None
    by_place: list[int]  # how many put it 1st, 2nd, …
    placed: int


@dataclass
class QuestionResult:
    spec: Spec
    answered: int
    options: list[OptionCount] = field(default_factory=list)
    matrix: list[tuple[Choice, list[OptionCount], int]] = field(default_factory=list)
    distribution: list[tuple[Decimal, int, Decimal]] = field(default_factory=list)
    mean: Decimal | None = None
    median: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    ranking: list[RankRow] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def is_choice(self) -> bool:
        return self.spec.kind in CHOICE_KINDS


@dataclass
class Results:
    survey: Survey
    respondents: int
    questions: list[QuestionResult]
    by_channel: dict[str, int]
    by_category: dict[str, int]

    def question(self, question_id: int) -> QuestionResult:
        return next(q for q in self.questions if q.spec.id == question_id)


def _tallies(survey: Survey, channels: Iterable[str] | None, category: str | None) -> QuerySet:
    rows = Tally.objects.filter(survey_id=survey.pk)
    if channels:
        rows = rows.filter(channel__in=list(channels))
    if category:
        rows = rows.filter(category=category)
    return rows


def survey_results(
    survey: Survey,
    *,
    channels: Iterable[str] | None = None,
    category: str | None = None,
    specs: Sequence[Spec] | None = None,
    rows: Iterable[Tally] | None = None,
) -> Results:
    """Every question's counts, percentages and scores, for the responses of ``channels``
    (all when empty) and of a panel ``category`` (all when empty). Two queries: the
    questions and the tallies (none when ``specs`` and the tally ``rows`` are given, as
    the API does for a page of surveys)."""
    specs = specs if specs is not None else specs_of(survey)
    counts: dict[tuple[int, int, int, int], tuple[int, Decimal]] = {}
    by_channel: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    for row in rows if rows is not None else _tallies(survey, channels, category):
        key = (row.question_id, row.option_id, row.row_id, row.value)
        count, total = counts.get(key, (0, Decimal(0)))
        counts[key] = (count + row.count, total + row.total)
        if key == (0, 0, 0, 0):
            by_channel[row.channel] += row.count
            if row.category:
                by_category[row.category] += row.count
    respondents = counts.get((0, 0, 0, 0), (0, 0))[0]
    questions = [_question(spec, counts) for spec in specs]
    return Results(survey, respondents, questions, dict(by_channel), dict(by_category))


def _count(counts, *key) -> int:
    return counts.get(tuple(key), (0, 0))[0]


def _question(spec: Spec, counts) -> QuestionResult:
    answered, total = counts.get((spec.id, 0, 0, 0), (0, Decimal(0)))
    result = QuestionResult(spec=spec, answered=answered)
    if spec.kind in CHOICE_KINDS:
        result.options = [
            OptionCount(c, n, percent(n, answered))
            for c in spec.choices
            for n in [_count(counts, spec.id, c.id, 0, 0)]
        ]
    elif spec.kind == "matrix":
        for row in spec.rows:
            cells = [_count(counts, spec.id, c.id, row.id, 0) for c in spec.choices]
            row_total = sum(cells)
            result.matrix.append(
                (
                    row,
                    [
                        OptionCount(c, n, percent(n, row_total))
                        for c, n in zip(spec.choices, cells, strict=True)
                    ],
                    row_total,
                )
            )
    elif spec.kind in ("rating", "number"):
        scale = Decimal(1) if spec.kind == "rating" else Decimal("0.01")
        values = sorted(
            (Decimal(key[3]) * scale, count)
            for key, (count, _t) in counts.items()
            if key[0] == spec.id and key != (spec.id, 0, 0, 0) and count
        )
        if spec.kind == "rating":
            low = int(spec.settings.get("scale_min", 1) or 1)
            high = int(spec.settings.get("scale_max", 5) or 5)
            present = dict(values)
            values = [(Decimal(v), present.get(Decimal(v), 0)) for v in range(low, high + 1)]
        result.distribution = [(v, n, percent(n, answered)) for v, n in values]
        if answered:
            result.mean = _round(total / answered)
            result.median = median([(v, n) for v, n in values if n])
            present = [v for v, n in values if n]
            result.minimum, result.maximum = present[0], present[-1]
    elif spec.kind == "ranking":
        places = Ranking().places(spec)
        for c in spec.choices:
            by_place = [_count(counts, spec.id, c.id, 0, place) for place in range(1, places + 1)]
            placed = sum(by_place)
            points = sum((places - place + 1) * n for place, n in enumerate(by_place, start=1))
            rank_sum = sum(place * n for place, n in enumerate(by_place, start=1))
            result.ranking.append(
                RankRow(
                    choice=c,
                    points=points,
                    mean_rank=_round(Decimal(rank_sum) / placed) if placed else None,
                    by_place=by_place,
                    placed=placed,
                )
            )
        result.ranking.sort(key=lambda r: (-r.points, r.mean_rank or Decimal(10**6), r.choice.id))
    return result


def histogram(result: QuestionResult, *, buckets: int = 10) -> list[tuple[Decimal, Decimal, int]]:
    """A number question's answers in up to ``buckets`` equal ranges: (from, to, count)."""
    if result.minimum is None:
        return []
    low, high = result.minimum, result.maximum
    if low == high:
        return [(low, high, result.answered)]
    width = (high - low) / buckets
    counts = [0] * buckets
    for value, count, _pct in result.distribution:
        index = min(int((value - low) / width), buckets - 1)
        counts[index] += count
    return [
        (_round(low + width * i), _round(low + width * (i + 1)), n) for i, n in enumerate(counts)
    ]


def valid_responses(survey: Survey, *, channels=None, category=None) -> QuerySet[Response]:
    responses = Response.objects.filter(survey=survey, voided_at__isnull=True)
    if channels:
        responses = responses.filter(channel__in=list(channels))
    if category:
        responses = responses.filter(category=category)
    return responses


def text_answers(
    survey: Survey, question_id: int, *, search: str = "", channels=None, category=None
) -> QuerySet[Answer]:
    """The free-text answers of a question (and the "其他" notes of a choice question), in
    the order responses came in, optionally only those containing ``search``."""
    answers = Answer.objects.filter(
        question_id=question_id,
        response__in=valid_responses(survey, channels=channels, category=category),
    ).exclude(text="")
    if search:
        answers = answers.filter(text__icontains=search.strip())
    return answers.select_related("response").order_by("response__number", "pk")


def crosstab(survey: Survey, first: Spec, second: Spec, *, channels=None, category=None):
    """How the answers of two choice questions combine: ``{(option of first, option of
    second): responses}``, with the row and column totals; one grouped query."""
    if first.kind not in CHOICE_KINDS or second.kind not in CHOICE_KINDS:
        raise ValueError("cross-tabulation needs two choice questions")
    responses = valid_responses(survey, channels=channels, category=category)
    pairs = (
        Answer.objects.filter(question_id=first.id, response__in=responses)
        .filter(response__answers__question_id=second.id)
        .values_list("option_id", "response__answers__option_id")
        .annotate(n=Count("response_id", distinct=True))
    )
    cells = {(a, b): n for a, b, n in pairs}
    rows = {c.id: sum(n for (a, _b), n in cells.items() if a == c.id) for c in first.choices}
    columns = {c.id: sum(n for (_a, b), n in cells.items() if b == c.id) for c in second.choices}
    return cells, rows, columns


def survey_figures(queryset: QuerySet[Survey]) -> dict:
    """Surveys and valid responses of a set of surveys (for the supervision dashboard)."""
    return queryset.aggregate(
        surveys=Count("pk"),
        responses=Sum("response_count", default=0),
        with_panel=Count(
            "pk", filter=Q(audience__in=[Survey.Audience.PANEL, Survey.Audience.BOTH])
        ),
    )


def results_for_api(survey: Survey, *, results: Results | None = None) -> list[dict]:
    """The public results as the API gives them: per question, each option's count (and,
    for a matrix, per row; for a ranking, Borda points and mean rank; for ratings and
    numbers, mean and median). Counts only: never an answer's text."""
    out = []
    for result in (results or survey_results(survey)).questions:
        item = {
            "question": result.spec.position,
            "text": result.spec.text,
            "kind": result.spec.kind,
            "answered": result.answered,
        }
        if result.is_choice:
            item["options"] = [{"label": o.choice.label, "count": o.count} for o in result.options]
        elif result.kind == "matrix":
            item["rows"] = [
                {
                    "label": row.label,
                    "options": [{"label": o.choice.label, "count": o.count} for o in cells],
                }
                for row, cells, _total in result.matrix
            ]
        elif result.kind == "ranking":
            item["options"] = [
                {
                    "label": r.choice.label,
                    "points": r.points,
                    "mean_rank": r.mean_rank,
                    "count": r.placed,
                }
                for r in result.ranking
            ]
        elif result.kind in ("rating", "number"):
            item["mean"] = result.mean
            item["median"] = result.median
            if result.kind == "rating":
                item["options"] = [
                    {"label": str(v), "count": n} for v, n, _p in result.distribution
                ]
        out.append(item)
    return out


def results_for_page(surveys: Sequence[Survey]) -> dict[int, Results]:
    """``survey_results`` of several surveys at once (a page of the API): three queries
    whatever their number — the questions, their options and the tallies."""
    from .tallies import questions_of_many, spec_of

    if not surveys:
        return {}
    ids = [s.pk for s in surveys]
    specs: dict[int, list[Spec]] = defaultdict(list)
    for question in questions_of_many(ids):
        found = specs[question.survey_id]
        found.append(spec_of(question, len(found) + 1))
    rows: dict[int, list[Tally]] = defaultdict(list)
    for row in Tally.objects.filter(survey_id__in=ids):
        rows[row.survey_id].append(row)
    return {s.pk: survey_results(s, specs=specs[s.pk], rows=rows[s.pk]) for s in surveys}
