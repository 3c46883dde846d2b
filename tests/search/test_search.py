"""``core.search.search`` through the apps' selectors: ranking, the single-character
fallback, the containment fallback off PostgreSQL, and on PostgreSQL that the SQL cuts
text as the Python does and that every searched table's index serves the query."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import timezone

from annual_plans.models import PlanItem
from annual_plans.selectors import items_matching
from core.search import WORD_PATTERN, bigrams, normalize, query_words, tsquery_text
from matters.models import DraftVersion, Matter, PolicyArea
from matters.selectors import drafts_matching, matters_matching
from matters.services import matter_area_names_refresh, matter_update
from participation.models import Activity, CommentPeriod, Opinion
from participation.selectors.activities import activities_matching
from participation.selectors.comments import feedback_reports_matching, opinions_matching
from tests.factories import make_matter

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.postgres  # bigram search runs on PostgreSQL
other_databases_only = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="not a missing service: pins the containment fallback of databases other than "
    "PostgreSQL, so a PostgreSQL run (CI) cannot exercise it",
)


def matter(title, summary="规范有关工作。", updated_at=None, areas=()):
    created = make_matter(
        title=title, summary=summary, policy_areas=PolicyArea.objects.filter(code__in=areas)
    )
    if updated_at is not None:
        Matter.objects.filter(pk=created.pk).update(updated_at=updated_at)
    return created


def titles(queryset):
    return [row.title for row in queryset]


def test_a_single_character_finds_every_text_containing_it():
    matter("中小学课后服务实施方案")
    matter("学有所教专项行动")
    matter("教育收费标准", summary="规范幼儿园收费。")

    assert sorted(titles(matters_matching(Matter.objects.all(), "学"))) == [
        "中小学课后服务实施方案",
        "学有所教专项行动",
    ]
    assert titles(matters_matching(Matter.objects.all(), "学 课后")) == ["中小学课后服务实施方案"]


def test_newer_first_when_the_rank_is_equal():
    now = timezone.now()
    older = matter("社区养老服务", updated_at=now - datetime.timedelta(days=3))
    newer = matter("社区养老服务", updated_at=now - datetime.timedelta(days=1))

    assert list(matters_matching(Matter.objects.all(), "养老")) == [newer, older]


def test_a_reference_number_finds_its_matter():
    wanted = matter("城市更新条例")
    matter("城市更新规划")

    assert list(matters_matching(Matter.objects.all(), wanted.reference.lower())) == [wanted]


def test_a_query_without_words_finds_nothing():
    matter("养老服务")

    assert list(matters_matching(Matter.objects.all(), "“”，。")) == []


@postgresql_only
def test_a_title_hit_ranks_above_body_only_hits():
    now = timezone.now()
    in_title = matter("社区养老服务设施规划", updated_at=now - datetime.timedelta(days=30))
    in_body = matter("城市规划", summary="养老服务、" * 12, updated_at=now)

    found = list(matters_matching(Matter.objects.all(), "养老服务"))

    assert found == [in_title, in_body]
    assert found[0].rank > 1 > found[1].rank > 0


@postgresql_only
def test_a_two_character_word_finds_it_inside_longer_words():
    matter("居家养老服务补贴", summary="调整补贴标准。")
    matter("海水养殖用海管理", summary="规范用海审批。")
    matter("老年大学扩容", summary="满足老年人学习需求。")

    assert titles(matters_matching(Matter.objects.all(), "养老")) == ["居家养老服务补贴"]
    assert titles(matters_matching(Matter.objects.all(), "大学")) == ["老年大学扩容"]


@other_databases_only
def test_elsewhere_each_word_is_a_containment_match_newest_first():
    now = timezone.now()
    body = matter("城市规划", summary="养老服务", updated_at=now)
    title = matter("社区养老服务", updated_at=now - datetime.timedelta(days=2))
    matter("养老和服务", updated_at=now - datetime.timedelta(days=1))

    found = list(matters_matching(Matter.objects.all(), "养老服务"))

    assert found == [body, title]
    assert {row.rank for row in found} == {0.0}


# --- policy areas ----------------------------------------------------------------------


def test_a_matter_is_found_by_the_name_of_its_policy_area():
    tagged = matter("社区助餐点运营补贴办法", summary="按服务人次给予补贴。", areas=["elderly-care"])
    matter("海水养殖用海管理", summary="规范用海审批。", areas=["marine"])
    matter("老年大学扩容", summary="满足老年人学习需求。", areas=["education"])

    assert list(matters_matching(Matter.objects.all(), "养老")) == [tagged]
    # Each word may be anywhere: one in an area's name, another in the title.
    assert list(matters_matching(Matter.objects.all(), "助餐 养老")) == [tagged]
    assert list(matters_matching(Matter.objects.all(), "养老 大学")) == []


def test_a_matter_leaves_the_results_of_an_area_it_no_longer_has():
    moved = matter("社区助餐点运营补贴办法", areas=["elderly-care", "civil-affairs"])

    matter_update(
        matter=moved, by=moved.created_by, policy_areas=PolicyArea.objects.filter(code="health")
    )

    assert list(matters_matching(Matter.objects.all(), "养老")) == []
    assert list(matters_matching(Matter.objects.all(), "民政")) == []
    assert list(matters_matching(Matter.objects.all(), "医疗卫生")) == [moved]


def test_links_written_without_the_services_are_found_once_the_names_are_refreshed():
    linked = matter("社区助餐点运营补贴办法")
    area = PolicyArea.objects.get(code="elderly-care")
    Matter.policy_areas.through.objects.create(matter=linked, policyarea=area)
    assert list(matters_matching(Matter.objects.all(), "养老")) == []

    assert matter_area_names_refresh(matter_ids=[linked.pk]) == 1
    assert matter_area_names_refresh() == 0  # nothing left to copy

    assert list(matters_matching(Matter.objects.all(), "养老")) == [linked]


def test_the_migration_copies_the_names_of_the_areas_matters_already_have():
    fill = importlib.import_module("matters.migrations.0011_matter_area_names").fill
    older = matter("社区助餐点运营补贴办法", areas=["elderly-care", "civil-affairs"])
    untagged = matter("城市规划")
    Matter.objects.update(area_names="")  # as the column starts, before the migration fills it
    assert list(matters_matching(Matter.objects.all(), "养老")) == []

    # What ``fill`` uses of a schema editor; SQLite's own cannot open inside a test's
    # transaction.
    with connection.cursor() as cursor:
        fill(django_apps, SimpleNamespace(connection=connection, execute=cursor.execute))

    assert Matter.objects.get(pk=older.pk).area_names == "养老\n民政"
    assert Matter.objects.get(pk=untagged.pk).area_names == ""
    assert list(matters_matching(Matter.objects.all(), "养老")) == [older]


def test_a_renamed_area_is_found_by_its_new_name():
    tagged = matter("社区助餐点运营补贴办法", areas=["elderly-care"])
    PolicyArea.objects.filter(code="elderly-care").update(name="养老服务")

    matter_area_names_refresh(matter_ids=[tagged.pk])

    assert list(matters_matching(Matter.objects.all(), "养老服务")) == [tagged]


@postgresql_only
def test_an_area_hit_ranks_as_a_body_hit_below_title_hits():
    now = timezone.now()
    in_title = matter("社区养老服务设施规划", updated_at=now - datetime.timedelta(days=30))
    in_area = matter(
        "社区助餐点补贴", areas=["elderly-care"], updated_at=now - datetime.timedelta(days=1)
    )
    in_body = matter(
        "城市规划", summary="统筹养老设施。", updated_at=now - datetime.timedelta(days=2)
    )

    found = list(matters_matching(Matter.objects.all(), "养老"))

    assert found == [in_title, in_area, in_body]
    assert found[0].rank > 1 > found[1].rank == found[2].rank


SAMPLES = [
    "“养老服务”，青政字〔2019〕4号",
    "《青岛市城市更新条例（草案）》立法协商",
    "ＰＭ2.5 监测 Qingdao 2026年",
    "学 a 〇二六 中小学校园·周边",
    "",
    "𠮷野家 ﬁ ㈠ Ⅻ",
    "甲" * 64 + "，" + "乙" * 65 + "。" + "丙" * 66,
    "养老服务设施" * 50,  # one run of 300 characters, cut into pieces in SQL
    "第一条\n\t为了规范物业服务收费行为……制定本办法。",
]


@postgresql_only
@pytest.mark.parametrize("text", SAMPLES)
def test_the_sql_cuts_text_as_the_python_does(text):
    expected = " ".join(b for word in WORD_PATTERN.findall(normalize(text)) for b in bigrams(word))
    with connection.cursor() as cursor:
        cursor.execute("SELECT portal_bigrams(%s)", [text])
        assert cursor.fetchone()[0] == expected


@postgresql_only
@pytest.mark.parametrize("text", [sample for sample in SAMPLES if query_words(sample)])
def test_the_query_built_here_is_the_one_postgresql_builds(text):
    words = [word for word in query_words(text) if len(word) > 1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT plainto_tsquery('simple'::regconfig, portal_bigrams(%s))::text, "
            "%s::tsquery::text",
            [" ".join(words), tsquery_text(words)],
        )
        built_there, built_here = cursor.fetchone()
    assert built_here == built_there


@postgresql_only
def test_the_parser_keeps_each_bigram_as_one_lexeme():
    # Whatever the cluster's locale: the tokens of the vector are exactly the bigrams.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(lexeme ORDER BY lexeme) FROM unnest(portal_search_vector(%s, %s))",
            ["“养老服务”", "中小学ＰＭ2.5"],
        )
        lexemes = cursor.fetchone()[0]
    assert lexemes == sorted(["养老", "老服", "服务", "中小", "小学", "学p", "pm", "m2", "5"])


INDEXED = [
    (Matter, matters_matching, "matters_matter_search"),
    (DraftVersion, drafts_matching, "matters_draftversion_search"),
    (PlanItem, items_matching, "annual_plans_planitem_search"),
    (Activity, activities_matching, "participation_activity_search"),
    (CommentPeriod, feedback_reports_matching, "participation_commentperiod_search"),
    (Opinion, opinions_matching, "participation_opinion_search"),
]


@postgresql_only
@pytest.mark.parametrize(("model", "matching", "index"), INDEXED)
def test_each_searched_table_has_an_index_the_query_uses(model, matching, index):
    with connection.cursor() as cursor:
        # On a near-empty table the planner rightly prefers a scan of the table, of
        # another index (filtering every row), or a nested loop probing a foreign-key
        # index; forbid all three so the only way left is a bitmap scan of an index
        # whose expression matches the query's.
        for setting in ("seqscan", "indexscan", "indexonlyscan", "nestloop"):
            cursor.execute(f"SET LOCAL enable_{setting} = off")
    plan = matching(model.objects.all(), "养老服务").explain()

    assert index in plan
