"""A catalog in force carried out: its department starts an item's matter in one step, or
links a matter it already runs. Both answer on the catalog's staff page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.exceptions import TransitionError
from core.permissions import require_perm

from ..item_matters import matters_to_link, plan_item_link_matter, plan_item_start_matter
from ..models import PlanItem
from ..rules import visible_plans


def _item(request, pk: int, item_pk: int) -> PlanItem:
    plan = get_object_or_404(visible_plans(request.user).select_related("department"), pk=pk)
    require_perm(request, "annual_plans.carry_out_plan", plan)
    item = get_object_or_404(plan.items.select_related("matter"), pk=item_pk)
    item.plan = plan
    return item


class MatterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} {obj.title}"


class LinkForm(forms.Form):
    matter = MatterChoiceField(
        label=gettext_lazy("协商事项"),
        queryset=None,
        empty_label=None,
        error_messages={"required": gettext_lazy("请选择要关联的协商事项。")},
    )

    def __init__(self, *args, matters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters


@login_required
@require_POST
def item_start_matter(request, pk: int, item_pk: int):
    item = _item(request, pk, item_pk)
    try:
        matter = plan_item_start_matter(item=item, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("annual_plans:staff_detail", pk=pk)
    messages.success(
        request,
        _("已依据目录事项“%(title)s”启动协商事项%(reference)s，请补充概述和法律依据。")
        % {"title": item.title, "reference": matter.reference},
    )
    return redirect("matters:staff_detail", pk=matter.pk)


@login_required
def item_link_matter(request, pk: int, item_pk: int):
    item = _item(request, pk, item_pk)
    if item.matter_id is not None:
        messages.info(
            request,
            _("该目录事项已对应协商事项%(reference)s。") % {"reference": item.matter.reference},
        )
        return redirect("annual_plans:staff_detail", pk=pk)
    matters = matters_to_link(item)
    form = LinkForm(request.POST or None, matters=matters)
    if request.method == "POST" and form.is_valid():
        try:
            plan_item_link_matter(item=item, matter=form.cleaned_data["matter"], by=request.user)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已关联协商事项。"))
            return redirect("annual_plans:staff_detail", pk=pk)
    return render(
        request,
        "annual_plans/item_link.html",
        {"plan": item.plan, "item": item, "form": form, "has_matters": matters.exists()},
    )
