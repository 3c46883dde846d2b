"""The generator's survey (问卷调查): one open budget-priorities questionnaire of twelve
questions on three pages (every question type, a display condition, "其他（请注明）") with
100,000 responses at full scale, online, on paper and by phone, its results public while
it is open — for the results pages, the Excel export and answering under load.

Written fast: the survey, its pages, questions and options as plain rows; 3,000 distinct
answers drawn by the demo's generator (``surveys.demo.random_answers``) and read back by
the same code that reads a submitted form (``surveys.questions.parse_answers``), so each
is valid, every response taking one of them; responses and answers inserted in chunks
(``COPY`` on PostgreSQL), and the tallies summed in memory from ``surveys.tallies.
counts_for`` (what a submission adds) and inserted once — what ``tallies.rebuild`` would compute, without reading 1.5 million answers
back. No service is called and no ledger row written, as for all scale data.

The scale survey is found by its title (``text.SURVEY_TITLE``; ``rows.scale_surveys``).
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from surveys.demo import random_answers
from surveys.models import Answer, Option, Question, Response, Section, Survey, Tally
from surveys.questions import parse_answers, question_type
from surveys.tallies import counts_for, specs_of

from .rows import insert, insert_chunks
from .text import SURVEY_TITLE

SURVEY_TABLES = [Survey, Section, Question, Option, Response, Answer, Tally]
CHANNEL_WEIGHTS = {
    Response.Channel.ONLINE: 85,
    Response.Channel.PAPER: 10,
    Response.Channel.PHONE: 5,
}
OTHER = "其他（请注明）"
# Distinct answers drawn (each response takes one of them).
PATTERNS = 3_000

# (page, kind, text, settings, options, rows, required, shown if (question index, option))
# ruff: noqa: E501 - the table of questions reads best one question to a line or two
QUESTIONS = [
    (1, "single", "您的身份", {},
     ["企业职工", "机关事业单位人员", "个体经营者", "离退休人员", "学生", OTHER], [], True, None),
    (1, "single", "您是否了解预算的编制过程？", {},
     ["比较了解", "听说过", "不了解"], [], True, None),
    (1, "text", "您是通过什么渠道了解预算编制的？", {}, [], [], False, (1, "比较了解")),
    (1, "rating", "您对现有公共服务的总体满意度", {"scale_min": 1, "scale_max": 5},
     [], [], True, None),
    (2, "ranking", "请选出最应优先保障的三个支出方向并排序", {"rank_count": 3},
     ["教育", "医疗卫生", "养老服务", "城市更新", "公共交通", "就业创业", "生态环境"], [], True, None),
    (2, "matrix", "下列领域增加投入的重要程度", {},
     ["非常重要", "比较重要", "一般", "不重要"],
     ["学前教育和托育", "社区养老服务", "基层医疗卫生", "城市道路和停车", "农村人居环境"], True, None),
    (2, "multiple", "您最希望新增的民生实事项目（最多选三项）", {"min_picks": 1, "max_picks": 3},
     ["社区食堂", "口袋公园", "公办幼儿园扩容", "公共充电桩", "背街小巷整治", OTHER], [], True, None),
    (2, "number", "您建议投入社区养老服务的金额（万元）",
     {"minimum": 0, "maximum": 20000, "unit": "万元"}, [], [], True, None),
    (2, "single", "您是否支持压减一般性支出用于民生项目？", {},
     ["支持", "不支持", "说不清"], [], True, None),
    (3, "rating", "您对预算公开透明程度的评价", {"scale_min": 1, "scale_max": 5}, [], [], True, None),
    (3, "single", "您希望通过哪种方式参与今后的预算协商？", {},
     ["网上问卷", "民主恳谈会", "社区议事会", OTHER], [], True, None),
    (3, "text", "对2027年区级预算的其他意见和建议", {"long": True}, [], [], False, None),
]  # fmt: skip
PAGES = {1: "基本情况", 2: "支出方向", 3: "预算公开和参与"}


def build_survey(*, department_id: int, user_id: int, now: dt.datetime) -> Survey:
    """The survey and its questions as rows (no service, no ledger row): published, open
    from 30 days ago for another 30 days, results shown while open."""
    survey = Survey.objects.create(
        department_id=department_id,
        kind=Survey.Kind.QUESTIONNAIRE,
        year=timezone.localdate(now).year,
        title=SURVEY_TITLE,
        introduction="规模测试数据：为科学编制预算，就民生支出重点公开征求意见。",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=30),
        audience=Survey.Audience.PUBLIC,
        one_response_per_person=True,
        results_shown=Survey.ResultsShown.WHILE_OPEN,
        published_at=now - dt.timedelta(days=31),
        created_by_id=user_id,
        created_at=now - dt.timedelta(days=32),
    )
    sections = {
        page: Section.objects.create(survey=survey, position=page, title=title)
        for page, title in PAGES.items()
    }
    made: list[Question] = []
    positions: dict[int, int] = defaultdict(int)
    for page, kind, text, settings, options, rows, required, shown_if in QUESTIONS:
        positions[page] += 1
        condition = None
        if shown_if is not None:
            index, label = shown_if
            condition = made[index].options.get(label=label, is_row=False)
        question = Question.objects.create(
            survey=survey,
            section=sections[page],
            position=positions[page],
            kind=kind,
            text=text,
            required=required,
            settings=settings,
            shown_if=condition,
        )
        Option.objects.bulk_create(
            [
                Option(question=question, position=n, label=label, is_other=label == OTHER)
                for n, label in enumerate(options, 1)
            ]
            + [
                Option(question=question, position=n, label=label, is_row=True)
                for n, label in enumerate(rows, 1)
            ]
        )
        made.append(question)
    return survey


def seed_survey_responses(
    survey: Survey,
    *,
    responses: int,
    rng: random.Random,
    ids,
    entered_by_id: int,
    log: Callable[[str], None] = print,
) -> int:
    """``responses`` valid responses over the survey's open days up to now, their answers
    and the tallies; returns the rows written (responses and answers)."""
    specs = specs_of(survey)
    preferences: dict[int, list[float]] = {}
    channels, weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
    start = survey.opens_at
    span = max(60, int((min(timezone.now(), survey.closes_at) - start).total_seconds()) - 60)
    tallies: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    response_rows: list[dict] = []
    answer_rows: list[dict] = []
    written = 0
    moments = sorted(rng.randrange(span) for _ in range(responses))

    def flush():
        nonlocal written
        written += insert(Response, response_rows) + insert(Answer, answer_rows)
        response_rows.clear()
        answer_rows.clear()

    # Distinct answers are drawn once (parsing 100,000 forms took a minute and a half);
    # each response takes one of them, so the tallies add up per pattern and channel.
    patterns = []
    for _n in range(min(responses, PATTERNS)):
        values, errors = parse_answers(specs, random_answers(specs, rng, preferences))
        if errors:  # the generator only draws valid answers
            raise ValueError(f"invalid generated answer: {errors}")
        rows = [
            (spec.id, row)
            for spec in specs
            if (value := values.get(spec.id)) is not None
            for row in question_type(spec).rows(spec, value)
        ]
        patterns.append((rows, counts_for(specs, values)))
    used: dict[tuple[int, str], int] = defaultdict(int)
    for number, offset in enumerate(moments, start=1):
        pattern = rng.randrange(len(patterns))
        rows, _counts = patterns[pattern]
        channel = rng.choices(channels, weights)[0]
        used[(pattern, channel)] += 1
        online = channel == Response.Channel.ONLINE
        response_id = ids.take(Response)
        response_rows.append(
            {
                "id": response_id,
                "survey_id": survey.pk,
                "number": number,
                "channel": channel,
                "category": "",
                "panel_member_id": None,
                "submitted_at": start + dt.timedelta(seconds=offset),
                "client_hash": f"{rng.getrandbits(256):064x}" if online else "",
                "browser_hash": "",
                "suspected_duplicate": False,
                "entered_by_id": None if online else entered_by_id,
                "voided_at": None,
                "void_reason": "",
                "voided_by_id": None,
            }
        )
        for question_id, row in rows:
            answer_rows.append(
                {
                    "id": ids.take(Answer),
                    "response_id": response_id,
                    "question_id": question_id,
                    "option_id": row.option_id,
                    "row_id": row.row_id,
                    "rank": row.rank,
                    "number": row.number,
                    "text": row.text,
                }
            )
        if len(answer_rows) >= 20_000:
            flush()
    flush()
    for (pattern, channel), times in used.items():
        for key, (count, total) in patterns[pattern][1].items():
            slot = tallies[(*key, channel, "")]
            slot[0] += count * times
            slot[1] += total * times
    insert_chunks(
        Tally,
        (
            {
                "id": ids.take(Tally),
                "survey_id": survey.pk,
                "question_id": key[0],
                "option_id": key[1],
                "row_id": key[2],
                "value": key[3],
                "channel": key[4],
                "category": key[5],
                "count": count,
                "total": total,
            }
            for key, (count, total) in sorted(tallies.items())
        ),
    )
    Survey.objects.filter(pk=survey.pk).update(received=responses, response_count=responses)
    log(f"    scale survey {survey.pk}: {responses:,} responses")
    return written


class SurveyRows:
    """Mixed into ``Generator``: the scale survey and its responses."""

    def surveys(self) -> int:
        department_id = self.plan_department_ids[0]  # a scale department
        user_id = self.user_of[department_id]
        survey = build_survey(department_id=department_id, user_id=user_id, now=self.now)
        return seed_survey_responses(
            survey,
            responses=self.sizes["survey_responses"],
            rng=self.rng,
            ids=self.ids,
            entered_by_id=user_id,
            log=self.log,
        )
