"""The stage filter speaks each kind's own words and returns what its label says
(issue 21, item 10)."""

import re

import pytest
from django.urls import reverse

from matters.models import Matter
from matters.procedures import PROCEDURES
from tests.factories import make_published_matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def matters():
    key = make_published_matter("八大关历史文化街区保护利用", kind="key_matter")
    budget = make_published_matter("2027年市级预算草案", kind="budget")
    Matter.objects.filter(pk__in=[key.pk, budget.pk]).update(stage="consultation")
    return key, budget


def _selected(html: str) -> tuple[str, str, str]:
    """(optgroup label, option value, option label) of the chosen stage."""
    select = re.search(r'<select name="stage"[^>]*>(.*?)</select>', html, re.S).group(1)
    group = ""
    for match in re.finditer(
        r'<optgroup label="([^"]*)">|<option value="([^"]*)" selected>([^<]*)<', select
    ):
        if match.group(1) is not None:
            group = match.group(1)
        else:
            return group, match.group(2), match.group(3)
    return "", "", ""


def test_every_stage_of_every_kind_is_offered_in_its_own_words(client):
    html = client.get(reverse("matters:public_list")).content.decode()
    select = re.search(r'<select name="stage"[^>]*>(.*?)</select>', html, re.S).group(1)
    for procedure in PROCEDURES.values():
        for stage in procedure.stages:
            value = f"{procedure.kind.value}.{stage.code}"
            assert f'<option value="{value}">{stage.label}</option>' in select
    for label in ("协商征询", "决策", "决策后评估", "预算草案编制"):
        assert f">{label}</option>" in select


@pytest.mark.parametrize(
    ("params", "label", "shown", "hidden"),
    [
        ({"stage": "budget.consultation"}, "协商征询", 1, 0),
        ({"stage": "key_matter.consultation"}, "协商实施", 0, 1),
        ({"kind": "budget", "stage": "consultation"}, "协商征询", 1, 0),  # older links
    ],
)
def test_the_label_chosen_is_the_stage_of_the_matters_listed(
    client, matters, params, label, shown, hidden
):
    html = client.get(reverse("matters:public_list"), params).content.decode()
    assert _selected(html)[2] == label
    assert matters[shown].title in html
    assert matters[hidden].title not in html
