"""A reminder's HTML alternative is its text, paragraph for paragraph, escaped."""

from reminders.services import text_to_html

TEXT = (
    "张三：\n\n"
    "民政局牵头的协商事项“<b>养老</b>”已逾期。\n距截止还有 3 天。\n\n"
    "请推进：\nhttps://portal.example.cn/staff/matters/7/?a=1&b=2\n\n"
    "此邮件由政府协商工作平台自动发送，请勿直接回复。\n"
)


def test_each_block_of_lines_is_a_paragraph_with_its_lines_kept():
    html = text_to_html(TEXT, subject="主题")

    assert html.count("<p>") == 4
    assert "<p>张三：</p>" in html
    assert "已逾期。<br>距截止还有 3 天。</p>" in html


def test_text_is_escaped_and_a_web_address_becomes_a_link():
    html = text_to_html(TEXT, subject="逾期 <提醒>")

    assert "&lt;b&gt;养老&lt;/b&gt;" in html and "<b>" not in html
    assert "<title>逾期 &lt;提醒&gt;</title>" in html
    link = "https://portal.example.cn/staff/matters/7/?a=1&amp;b=2"
    assert f'<a href="{link}">{link}</a>' in html


def test_an_address_inside_a_sentence_stays_text():
    html = text_to_html("请访问 https://portal.example.cn 查看。", subject="主题")

    assert "<a " not in html
