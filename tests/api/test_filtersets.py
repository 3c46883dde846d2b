"""Each request's filter set has filters of its own, though they are copied shallowly
(api.v1.filters.ShallowCopiedFilters)."""

import copy

from api.v1.filters import MatterFilter, ShallowCopiedFilters
from matters.models import Matter


def make(data):
    return MatterFilter(data, queryset=Matter.objects.all())


def test_every_filter_set_has_its_own_filters_with_itself_as_parent():
    first, second = make({"kind": "decision"}), make({"year": "2025"})
    assert isinstance(MatterFilter.base_filters, ShallowCopiedFilters)
    assert list(first.filters) == list(MatterFilter.base_filters)
    for name, declared in MatterFilter.base_filters.items():
        assert first.filters[name] is not declared
        assert first.filters[name] is not second.filters[name]
        assert first.filters[name].parent is first
        assert second.filters[name].parent is second
        assert getattr(declared, "parent", None) is None


def test_a_method_filter_calls_the_method_of_its_own_filter_set():
    first, second = make({"q": "养老"}), make({"q": "学校"})
    for filter_set in (first, second):
        method_filter = filter_set.filters["q"]
        assert method_filter.filter.f is method_filter
        assert method_filter.filter.method == filter_set.filter_q
    declared = MatterFilter.base_filters["q"]
    assert declared.filter.f is declared


def test_a_copy_keeps_what_was_declared():
    copied = copy.deepcopy(MatterFilter.base_filters)
    for name, declared in MatterFilter.base_filters.items():
        assert copied[name].field_name == declared.field_name
        assert copied[name].lookup_expr == declared.lookup_expr
        assert copied[name].extra == declared.extra


def test_filters_still_filter():
    matters = make({"kind": "decision", "year": "2025", "is_major_decision": "false"})
    assert matters.is_valid(), matters.errors
    sql = str(matters.qs.query)
    assert '"kind" = decision' in sql
    assert '"year" = 2025' in sql
    assert "NOT" in sql and '"is_major_decision"' in sql
    bad = make({"year": "двадцать"})
    assert not bad.is_valid()
    assert "year" in bad.errors
