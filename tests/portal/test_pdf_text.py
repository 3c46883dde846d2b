"""Which text of a PDF may break its lines anywhere (core/templatetags/pdf_text.py)."""

import pytest

from core.templatetags.pdf_text import unbreakable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("社区养老服务设施布局规划（2026年）", False),
        ("养老 ABCDE 服务 FGHIJ", False),  # each run short enough, spaces break
        ("ＡＢＣＤＥＦＧＨ全角字母", False),  # fullwidth letters break like Chinese
        ("ABCDE", False),
        ("ABCDEF", True),
        ("0532-85912345", True),
        ("海岸带保护与利用规划（2026—2035年）", True),  # the dash is counted, to be safe
        ("见https://www.qingdao.gov.cn/zwgk/xxgk/202603/t20260301_1234567.shtml", True),
        ("", False),
        (None, False),
    ],
)
def test_a_long_run_without_a_break_is_marked(text, expected):
    assert unbreakable(text) is expected
