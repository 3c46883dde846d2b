"""FastSelect writes the markup Django's Select would, without its templates."""

import re

from django import forms

from core.widgets import FastSelect

CHOICES = [("", "全部"), ("sfj", "司法局"), ("mzj", "民政局 <“老龄”>"), (2026, "2026年")]


def compact(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


class Both(forms.Form):
    fast = forms.ChoiceField(choices=CHOICES, required=False, widget=FastSelect)
    slow = forms.ChoiceField(choices=CHOICES, required=False)
    fast_required = forms.ChoiceField(choices=CHOICES, widget=FastSelect)
    slow_required = forms.ChoiceField(choices=CHOICES)


def rendered(form: forms.Form, name: str) -> str:
    return compact(form[name]).replace(f'"{name}"', '"X"').replace(f"id_{name}", "id_X")


def test_the_same_markup_as_djangos_select_unbound_and_bound():
    for data in (None, {"fast": "mzj", "slow": "mzj"}, {"fast": "2026", "slow": "2026"}):
        form = Both(data)
        assert rendered(form, "fast") == rendered(form, "slow")
        assert rendered(form, "fast_required") == rendered(form, "slow_required")


def test_the_chosen_option_is_selected_and_text_is_escaped():
    html = str(Both({"fast": "mzj"})["fast"])

    assert '<option value="mzj" selected>民政局 &lt;“老龄”&gt;</option>' in html
    assert '<option value="" selected>' not in html
    assert "<“" not in html


def test_grouped_choices_keep_their_groups():
    widget = FastSelect(choices=[("区（市）", [("sn", "市南区"), ("sb", "市北区")]), ("x", "其他")])

    html = widget.render("area", "sb")

    assert '<optgroup label="区（市）"><option value="sn">市南区</option>' in html
    assert '<option value="sb" selected>市北区</option></optgroup><option value="x">' in html
