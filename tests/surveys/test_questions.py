"""Each question type's settings check, validation, storage round trip, tally keys and
display, without a database; and display conditions."""

from decimal import Decimal

import pytest

from surveys.questions import (
    TYPES,
    Choice,
    Invalid,
    Spec,
    is_shown,
    parse_answers,
    question_type,
)

A, B, C, OTHER = Choice(1, "教育"), Choice(2, "养老"), Choice(3, "交通"), Choice(4, "其他", True)


def spec(kind, **kw):
    kw.setdefault("choices", (A, B, C))
    return Spec(id=kw.pop("id", 7), kind=kind, text="题", **kw)


def parse(s, data):
    return question_type(s).parse(s, data)


def round_trip(s, value):
    kind = question_type(s)
    assert kind.value_from_rows(s, kind.rows(s, value)) == value
    assert parse(s, kind.field_values(s, value)) == value


class TestSingle:
    def test_choice_is_normalised_and_round_trips(self):
        s = spec("single")
        assert parse(s, {"q7": "2"}) == {"option": 2, "other": ""}
        round_trip(s, {"option": 2, "other": ""})
        assert question_type(s).display(s, {"option": 2, "other": ""}) == "养老"

    def test_unknown_option_is_refused(self):
        with pytest.raises(Invalid, match="列出的选项"):
            parse(spec("single"), {"q7": "99"})
        with pytest.raises(Invalid):
            parse(spec("single"), {"q7": "abc"})

    def test_empty_is_none(self):
        assert parse(spec("single"), {}) is None
        assert parse(spec("single"), {"q7": " "}) is None

    def test_other_needs_its_note_and_keeps_it(self):
        s = spec("single", choices=(A, B, OTHER))
        with pytest.raises(Invalid, match="请注明"):
            parse(s, {"q7": "4"})
        value = parse(s, {"q7": "4", "q7_other": "  文化设施 "})
        assert value == {"option": 4, "other": "文化设施"}
        assert question_type(s).display(s, value) == "其他：文化设施"
        round_trip(s, value)
        with pytest.raises(Invalid, match="200"):
            parse(s, {"q7": "4", "q7_other": "长" * 201})

    def test_note_without_other_is_dropped(self):
        s = spec("single", choices=(A, B, OTHER))
        assert parse(s, {"q7": "1", "q7_other": "顺手写的"}) == {"option": 1, "other": ""}

    def test_keys_count_the_option(self):
        s = spec("single")
        assert [k.option_id for k in question_type(s).keys(s, {"option": 3, "other": ""})] == [3]


class TestMultiple:
    def test_bounds(self):
        s = spec("multiple", settings={"min_picks": 2, "max_picks": 2})
        with pytest.raises(Invalid, match="至少选择2项"):
            parse(s, {"q7": ["1"]})
        with pytest.raises(Invalid, match="最多只能选择2项"):
            parse(s, {"q7": ["1", "2", "3"]})
        assert parse(s, {"q7": ["3", "1"]}) == {"options": [1, 3], "other": ""}

    def test_duplicates_collapse_and_other(self):
        s = spec("multiple", choices=(A, B, OTHER))
        value = parse(s, {"q7": ["4", "1", "1"], "q7_other": "体育"})
        assert value == {"options": [1, 4], "other": "体育"}
        round_trip(s, value)
        assert question_type(s).display(s, value) == "教育；其他：体育"
        assert [k.option_id for k in question_type(s).keys(s, value)] == [1, 4]

    def test_settings_errors(self):
        assert question_type(
            spec("multiple", settings={"min_picks": 3, "max_picks": 2})
        ).settings_errors(spec("multiple", settings={"min_picks": 3, "max_picks": 2}))
        assert question_type(spec("multiple")).settings_errors(spec("multiple", choices=(A,)))
        two_others = spec("multiple", choices=(A, OTHER, Choice(5, "另", True)))
        assert "只能有一个" in "".join(question_type(two_others).settings_errors(two_others))


class TestText:
    def test_short_and_long_limits(self):
        short, long = spec("text", choices=()), spec("text", choices=(), settings={"long": True})
        assert parse(short, {"q7": " 建议增加公交 "}) == {"text": "建议增加公交"}
        with pytest.raises(Invalid, match="200"):
            parse(short, {"q7": "字" * 201})
        assert parse(long, {"q7": "字" * 2000}) == {"text": "字" * 2000}
        with pytest.raises(Invalid, match="2000"):
            parse(long, {"q7": "字" * 2001})
        round_trip(short, {"text": "好"})
        assert question_type(short).keys(short, {"text": "好"}) == []


class TestRating:
    def test_scale_bounds_and_scoring(self):
        s = spec("rating", choices=(), settings={"scale_min": 1, "scale_max": 5})
        assert parse(s, {"q7": "５"}) == {"value": 5}  # a full-width digit from a Chinese IME
        with pytest.raises(Invalid, match="1到5"):
            parse(s, {"q7": "6"})
        with pytest.raises(Invalid):
            parse(s, {"q7": "0"})
        kind = question_type(s)
        assert kind.total(s, {"value": 4}) == Decimal(4)
        assert [k.value for k in kind.keys(s, {"value": 4})] == [4]
        round_trip(s, {"value": 4})

    def test_scale_settings(self):
        bad = spec("rating", choices=(), settings={"scale_min": 5, "scale_max": 5})
        assert question_type(bad).settings_errors(bad)


class TestMatrix:
    ROWS = (Choice(11, "公交"), Choice(12, "地铁"))

    def matrix(self, **kw):
        return spec("matrix", rows=self.ROWS, **kw)

    def test_every_row_when_required(self):
        s = self.matrix()
        with pytest.raises(Invalid, match="地铁"):
            parse(s, {"q7_r11": "1"})
        value = parse(s, {"q7_r11": "1", "q7_r12": "3"})
        assert value == {"rows": {"11": 1, "12": 3}}
        round_trip(s, value)
        assert [(k.row_id, k.option_id) for k in question_type(s).keys(s, value)] == [
            (11, 1),
            (12, 3),
        ]
        assert question_type(s).cells(s, value) == ["教育", "交通"]

    def test_optional_matrix_takes_some_rows(self):
        s = self.matrix(required=False)
        assert parse(s, {"q7_r12": "2"}) == {"rows": {"12": 2}}

    def test_wrong_option(self):
        with pytest.raises(Invalid):
            parse(self.matrix(), {"q7_r11": "9", "q7_r12": "1"})

    def test_matrix_has_no_other(self):
        s = self.matrix(choices=(A, OTHER))
        assert question_type(s).settings_errors(s)


class TestRanking:
    def test_full_ranking(self):
        s = spec("ranking")
        value = parse(s, {"q7_o1": "2", "q7_o2": "1", "q7_o3": "3"})
        assert value == {"ranks": {"1": 2, "2": 1, "3": 3}}
        round_trip(s, value)
        assert question_type(s).display(s, value) == "养老 > 教育 > 交通"
        assert question_type(s).cells(s, value) == ["养老", "教育", "交通"]

    def test_same_place_twice_or_gap_is_refused(self):
        s = spec("ranking")
        with pytest.raises(Invalid, match="每个名次只能给一个"):
            parse(s, {"q7_o1": "1", "q7_o2": "1", "q7_o3": "2"})
        with pytest.raises(Invalid, match="第1到第3名"):
            parse(s, {"q7_o1": "1", "q7_o2": "2"})
        with pytest.raises(Invalid, match="1到3"):
            parse(s, {"q7_o1": "4", "q7_o2": "1", "q7_o3": "2"})

    def test_top_k(self):
        s = spec("ranking", settings={"rank_count": 2})
        assert parse(s, {"q7_o3": "1", "q7_o1": "2"}) == {"ranks": {"1": 2, "3": 1}}
        with pytest.raises(Invalid):
            parse(s, {"q7_o3": "3", "q7_o1": "1", "q7_o2": "2"})
        assert len(question_type(s).columns(s)) == 2


class TestNumber:
    def test_bounds_decimals_and_formats(self):
        s = spec("number", choices=(), settings={"minimum": 0, "maximum": 5000, "unit": "万元"})
        assert parse(s, {"q7": "1,200"}) == {"number": "1200"}
        assert parse(s, {"q7": "１２０"}) == {"number": "120"}
        with pytest.raises(Invalid, match="整数"):
            parse(s, {"q7": "12.5"})
        with pytest.raises(Invalid, match="5000万元"):
            parse(s, {"q7": "5001"})
        with pytest.raises(Invalid, match="不能小于0"):
            parse(s, {"q7": "-1"})
        for junk in ("abc", "NaN", "Infinity", "1e400"):
            with pytest.raises(Invalid):
                parse(s, {"q7": junk})
        kind = question_type(s)
        assert kind.total(s, {"number": "1200"}) == Decimal(1200)
        assert [k.value for k in kind.keys(s, {"number": "1200"})] == [120000]
        assert kind.display(s, {"number": "1200"}) == "1200万元"
        round_trip(s, {"number": "1200"})

    def test_two_decimals(self):
        s = spec("number", choices=(), settings={"decimals": 2})
        assert parse(s, {"q7": "3.5"}) == {"number": "3.50"}
        with pytest.raises(Invalid, match="两位小数"):
            parse(s, {"q7": "3.555"})
        round_trip(s, {"number": "3.50"})


class TestConditions:
    first = Spec(
        id=1, kind="single", text="有孩子吗", choices=(Choice(10, "有"), Choice(11, "没有"))
    )
    then = Spec(id=2, kind="text", text="孩子在哪上学", shown_if=10, shown_if_question=1)
    after = Spec(id=3, kind="single", text="其余", choices=(A, B), required=False)

    def test_shown_only_on_the_option(self):
        assert is_shown(self.then, {1: {"option": 10, "other": ""}})
        assert not is_shown(self.then, {1: {"option": 11, "other": ""}})
        assert not is_shown(self.then, {})

    def test_multiple_controls(self):
        then = Spec(id=2, kind="text", text="t", shown_if=2, shown_if_question=1)
        assert is_shown(then, {1: {"options": [1, 2], "other": ""}})
        assert not is_shown(then, {1: {"options": [1], "other": ""}})

    def test_hidden_required_question_is_not_required_and_its_answer_dropped(self):
        values, errors = parse_answers(
            [self.first, self.then, self.after], {"q1": "11", "q2": "二中"}
        )
        assert errors == {}
        assert values == {1: {"option": 11, "other": ""}}

    def test_shown_required_question_must_be_answered(self):
        _values, errors = parse_answers([self.first, self.then, self.after], {"q1": "10"})
        assert list(errors) == [2]
        assert "必答" in errors[2]

    def test_every_error_is_reported_at_once(self):
        _values, errors = parse_answers([self.first, self.then], {"q1": "99"})
        assert list(errors) == [1]


def test_every_kind_is_a_question_kind():
    from surveys.models import Question

    assert set(TYPES) == set(Question.Kind.values)
