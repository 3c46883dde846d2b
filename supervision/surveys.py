"""Questionnaires and polls (问卷调查 · 民意测验) on the supervision dashboard: the year's
surveys and valid responses per organising department, with the responses by channel,
each figure linked to the staff's list of that department's surveys of the year.

Two grouped queries whatever the number of departments or responses: the surveys (with
their departments), and the response tallies by channel (``Tally`` rows of question 0 are
the responses themselves, so no response row is read).
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from core.figures import FigureBlock, FigureLine
from surveys.links import staff_list_path
from surveys.models import Response, Survey, Tally

CHANNELS = tuple(Response.Channel)
# The columns of the table (and the export sheet): key, label.
COLUMNS = (
    ("surveys", _("问卷调查")),
    ("polls", _("其中民意测验")),
    ("with_panel", _("其中面向受邀参与主体")),
    ("responses", _("有效答卷")),
    *((channel.value, channel.label) for channel in CHANNELS),
    ("offline", _("线下调查记录")),
)


class SurveyLine(FigureLine):
    columns = COLUMNS


class SurveyBlock(FigureBlock):
    pass


def _counted(year: int):
    return Survey.objects.filter(year=year, published_at__isnull=False, cancelled_at__isnull=True)


def survey_block(*, year: int) -> SurveyBlock:
    online = Q(is_offline_record=False)
    grouped = (
        _counted(year)
        .values(
            "department_id",
            "department__name",
            "department__short_name",
            "department__sort_order",
            "department__code",
        )
        .annotate(
            surveys=Count("pk", filter=online),
            polls=Count("pk", filter=online & Q(kind=Survey.Kind.POLL)),
            with_panel=Count(
                "pk",
                filter=online & Q(audience__in=[Survey.Audience.PANEL, Survey.Audience.BOTH]),
            ),
            responses=Sum("response_count", filter=online, default=0),
            offline=Count("pk", filter=~online),
        )
        .order_by("department__sort_order", "department__code")
    )
    department_of = Subquery(
        Survey.objects.filter(pk=OuterRef("survey_id")).values("department_id")[:1],
        output_field=IntegerField(),
    )
    by_channel = (
        Tally.objects.filter(
            question_id=0,
            option_id=0,
            row_id=0,
            value=0,
            survey_id__in=_counted(year).filter(online).values("pk"),
        )
        .annotate(department=department_of)
        .values("department", "channel")
        .annotate(n=Sum("count"))
        .order_by()
    )
    channels: dict[int, dict[str, int]] = {}
    for row in by_channel:
        channels.setdefault(row["department"], {})[row["channel"]] = row["n"] or 0
    lines = []
    total = SurveyLine(label=str(_("全市合计")), name=str(_("全市合计")), department_id=None)
    for row in grouped:
        figures = {key: row[key] or 0 for key in ("surveys", "polls", "with_panel", "responses")}
        figures["offline"] = row["offline"]
        figures.update(channels.get(row["department_id"], {}))
        line = SurveyLine(
            label=row["department__short_name"] or row["department__name"],
            name=row["department__name"],
            department_id=row["department_id"],
            figures=figures,
            url=staff_list_path(department=row["department_id"], year=year),
        )
        lines.append(line)
        total.add(figures)
    total.url = staff_list_path(year=year)
    return SurveyBlock(year=year, lines=lines, total=total)
