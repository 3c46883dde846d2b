"""The highlighter: escaping, what is marked, the snippet around the first match."""

from django.utils.safestring import SafeString

from core.search import bigrams, highlight, query_words


def test_a_title_with_markup_stays_inert():
    result = highlight('<script>alert("养老")</script>', "养老")

    assert isinstance(result, SafeString)
    assert "<script>" not in result
    assert result == "&lt;script&gt;alert(&quot;<mark>养老</mark>&quot;)&lt;/script&gt;"


def test_a_query_with_markup_marks_nothing_unsafe():
    assert highlight("a<b 养老", "<b") == "a&lt;<mark>b</mark> 养老"


def test_every_occurrence_of_the_word_is_marked():
    assert highlight("养老服务和居家养老", "养老") == (
        "<mark>养老</mark>服务和居家<mark>养老</mark>"
    )


def test_overlapping_bigrams_merge_into_one_mark():
    # 敬老服务 holds 老服 and 服务 of 养老服务, as the database matched it.
    assert highlight("敬老服务", "养老服务") == "敬<mark>老服务</mark>"


def test_bigrams_of_a_long_word_are_marked_where_they_stand_apart():
    assert highlight("养老机构提供上门服务", "养老服务") == (
        "<mark>养老</mark>机构提供上门<mark>服务</mark>"
    )


def test_each_word_of_a_query_is_marked():
    assert (
        highlight("物业服务收费公示", "物业 收费") == "<mark>物业</mark>服务<mark>收费</mark>公示"
    )


def test_full_width_and_capital_letters_match_their_plain_forms():
    assert highlight("ＰＭ2.5监测", "pm") == "<mark>ＰＭ</mark>2.5监测"
    assert highlight("PM2.5监测", "ｐｍ") == "<mark>PM</mark>2.5监测"


def test_a_single_character_is_marked_everywhere():
    assert highlight("中小学校园", "学") == "中小<mark>学</mark>校园"


def test_without_a_match_the_text_is_only_escaped():
    assert highlight("老年大学 & 学习", "养老") == "老年大学 &amp; 学习"


def test_a_snippet_is_cut_around_the_first_match():
    text = "甲" * 100 + "养老" + "乙" * 100

    snippet = highlight(text, "养老", length=30)

    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>养老</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) == 30 + 2


def test_a_snippet_without_a_match_is_the_start_of_the_text():
    snippet = highlight("第一条\n  为了规范物业服务。" + "乙" * 100, "养老", length=10)

    assert snippet == "第一条 为了规范物业…"


def test_a_short_text_is_not_cut():
    assert highlight("养老服务", "养老", length=50) == "<mark>养老</mark>服务"


def test_query_words_split_on_punctuation_and_spaces():
    assert query_words("“养老”服务，物业　收费 养老") == ["养老", "服务", "物业", "收费"]
    assert query_words("青政字〔2019〕4号") == ["青政字", "2019", "4号"]
    assert query_words("！！！") == []
    assert len(query_words(" ".join(str(n) for n in range(20)))) == 10


def test_bigrams_of_a_word():
    assert bigrams("养老服务") == ["养老", "老服", "服务"]
    assert bigrams("学") == ["学"]
