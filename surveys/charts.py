"""A question's result as a chart: server-drawn SVG from ``core.charts`` (``role="img"``,
named by its title and description), always shown beside a table with the same figures.

One builder per kind of question, all reading a ``results.QuestionResult``; the pages,
the PDF and the feedback report call ``question_chart``. Text questions have no chart.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core import charts

from .models import Question
from .questions import Ranking
from .results import OptionCount, QuestionResult, Results, histogram


def number_text(value: Decimal | None) -> str:
    """120.00 → 120, 35.50 → 35.5: a figure as people write it."""
    if value is None:
        return "—"
    return format(value.normalize(), "f")


def _id(prefix: str, result: QuestionResult) -> str:
    return f"{prefix}-q{result.spec.id}"


def _title(result: QuestionResult) -> str:
    return f"{result.spec.position}. {result.spec.text}"


def choice_chart(result: QuestionResult, *, prefix: str = "chart") -> SafeString:
    multiple = result.kind == "multiple"
    description = _("共%(n)d人作答。") % {"n": result.answered} + "；".join(
        _("%(label)s %(count)d人（%(percent)s%%）")
        % {"label": o.choice.label, "count": o.count, "percent": o.percent}
        for o in result.options
    )
    if multiple:
        description += _("。多选题的百分比以作答人数为基数，合计可超过100%。")
    return charts.bar_chart(
        chart_id=_id(prefix, result),
        title=_title(result),
        description=description,
        series=[charts.Series(label=_("人数"))],
        unit=_("人"),
        bars=[
            charts.Bar(
                label=o.choice.label,
                segments=[charts.Segment(o.count)],
                note=_("%(count)d人（%(percent)s%%）") % {"count": o.count, "percent": o.percent},
            )
            for o in result.options
        ],
    )


def matrix_chart(result: QuestionResult, *, prefix: str = "chart") -> SafeString:
    choices = result.spec.choices
    description = _("每行一项，按选项分段。") + "；".join(
        f"{row.label}：" + "，".join(f"{o.choice.label} {o.count}" for o in cells)
        for row, cells, _total in result.matrix
    )
    return charts.bar_chart(
        chart_id=_id(prefix, result),
        title=_title(result),
        description=description,
        series=[charts.Series(label=c.label) for c in choices],
        unit=_("人"),
        bars=[
            charts.Bar(
                label=row.label,
                segments=[charts.Segment(o.count) for o in cells],
                note=_("%(n)d人") % {"n": total},
            )
            for row, cells, total in result.matrix
        ],
    )


def rating_chart(result: QuestionResult, *, prefix: str = "chart") -> SafeString:
    description = _("共%(n)d人作答，平均分%(mean)s，中位数%(median)s。") % {
        "n": result.answered,
        "mean": number_text(result.mean),
        "median": number_text(result.median),
    } + "；".join(
        _("%(value)s分 %(count)d人") % {"value": number_text(v), "count": n}
        for v, n, _p in result.distribution
    )
    return charts.bar_chart(
        chart_id=_id(prefix, result),
        title=_title(result),
        description=description,
        series=[charts.Series(label=_("人数"))],
        unit=_("人"),
        bars=[
            charts.Bar(
                label=_("%(value)s分") % {"value": number_text(v)},
                segments=[charts.Segment(n)],
                note=_("%(count)d人（%(percent)s%%）") % {"count": n, "percent": p},
            )
            for v, n, p in result.distribution
        ],
    )


def ranges(result: QuestionResult) -> list[tuple[str, int]]:
    """The histogram of a number question as (range label, count)."""
    unit = result.spec.settings.get("unit", "")
    return [
        (
            f"{number_text(low)}{unit}"
            if low == high
            else f"{number_text(low)}–{number_text(high)}{unit}",
            n,
        )
        for low, high, n in histogram(result)
    ]


def number_chart(result: QuestionResult, *, prefix: str = "chart") -> SafeString:
    buckets = ranges(result)
    unit = result.spec.settings.get("unit", "")
    description = _(
        "共%(n)d人作答，平均值%(mean)s%(unit)s，中位数%(median)s%(unit)s。按数值区间："
    ) % {
        "n": result.answered,
        "mean": number_text(result.mean),
        "median": number_text(result.median),
        "unit": unit,
    } + "；".join(f"{label} {n}" for label, n in buckets)
    return charts.bar_chart(
        chart_id=_id(prefix, result),
        title=_title(result),
        description=description,
        series=[charts.Series(label=_("人数"))],
        unit=_("人"),
        bars=[charts.Bar(label=label, segments=[charts.Segment(n)]) for label, n in buckets],
    )


def ranking_chart(result: QuestionResult, *, prefix: str = "chart") -> SafeString:
    description = _("按得分（博达计分）从高到低：") + "；".join(
        _("%(label)s %(points)d分") % {"label": r.choice.label, "points": r.points}
        for r in result.ranking
    )
    return charts.bar_chart(
        chart_id=_id(prefix, result),
        title=_title(result),
        description=description,
        series=[charts.Series(label=_("得分"))],
        unit=_("分"),
        bars=[
            charts.Bar(label=r.choice.label, segments=[charts.Segment(r.points)])
            for r in result.ranking
        ],
    )


BUILDERS = {
    "single": choice_chart,
    "multiple": choice_chart,
    "matrix": matrix_chart,
    "rating": rating_chart,
    "number": number_chart,
    "ranking": ranking_chart,
}


def question_chart(result: QuestionResult, *, prefix: str = "chart") -> SafeString | str:
    """The chart of a question's result; none for a text question or before any answer."""
    builder = BUILDERS.get(result.kind)
    if builder is None or not result.answered:
        return ""
    return builder(result, prefix=prefix)


@dataclass
class Block:
    """One question as the results pages, the PDF and the Excel tables show it."""

    result: QuestionResult
    chart: SafeString | str
    ranges: list[tuple[str, int]] = field(default_factory=list)
    unit: str = ""
    other: OptionCount | None = None  # the "其他（请注明）" option's count, if it has one
    places: list[int] = field(default_factory=list)  # 1…K of a ranking

    @property
    def spec(self):
        return self.result.spec

    @property
    def kind_label(self) -> str:
        return str(Question.Kind(self.result.kind).label)


def blocks(results: Results, *, prefix: str = "chart") -> list[Block]:
    out = []
    for result in results.questions:
        block = Block(
            result=result,
            chart=question_chart(result, prefix=prefix),
            unit=result.spec.settings.get("unit", "") if result.kind == "number" else "",
        )
        if result.kind == "number":
            block.ranges = ranges(result)
        if result.is_choice:
            block.other = next((o for o in result.options if o.choice.is_other), None)
        if result.kind == "ranking":
            block.places = list(range(1, Ranking().places(result.spec) + 1))
        out.append(block)
    return out
