"""A year's filing deadline, moved by the office with a recorded reason."""

import datetime

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_access import RulesModelAdmin
from accounts.models import Department
from core.dates import shown_datetime

from .. import services
from ..deadlines import SHANGHAI, default_deadline
from ..models import FilingDeadline


class FilingDeadlineForm(forms.ModelForm):
    # Set per request by FilingDeadlineAdmin.get_form: the department the ledger row goes to.
    ledger_department_id: int | None = None

    class Meta:
        model = FilingDeadline
        fields = ["year", "deadline", "reason"]
        help_texts = {"reason": gettext_lazy("必填，将记入台账。例如：因清明节假期顺延。")}

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year") or getattr(self.instance, "year", None)
        deadline = cleaned.get("deadline")
        if year and deadline and timezone.localtime(deadline, SHANGHAI).year != year:
            self.add_error("deadline", _("截止时间应在%(year)d年内。") % {"year": year})
        if self.ledger_department_id is None:
            raise forms.ValidationError(
                _("找不到市政府办公厅部门，无法记入台账：请先在“部门”中建立市政府办公厅。")
            )
        return cleaned


@admin.register(FilingDeadline)
class FilingDeadlineAdmin(RulesModelAdmin):
    form = FilingDeadlineForm
    list_display = ["year", "deadline", "default_deadline_display", "reason", "set_by", "set_at"]
    list_select_related = ["set_by"]
    fields = ["year", "deadline", "default_deadline_display", "reason", "set_by", "set_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["default_deadline_display", "set_by", "set_at"]
        # The year is what the row is about; moving another year is a new row.
        return ["year", *readonly] if obj is not None else readonly

    @admin.display(description=gettext_lazy("默认截止时间"))
    def default_deadline_display(self, obj: FilingDeadline | None) -> str:
        if obj is None or obj.year is None:
            return _("每年3月31日 23:59:59（北京时间）")
        return _format_deadline(default_deadline(obj.year))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.ledger_department_id = request.user.department_id or (
            Department.objects.filter(kind=Department.Kind.GENERAL_OFFICE)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        return form

    def save_model(self, request, obj, form, change):
        moved = services.deadline_move(
            year=obj.year,
            deadline=obj.deadline,
            reason=form.cleaned_data["reason"],
            by=request.user,
            department_id=form.ledger_department_id,
        )
        # The admin logs and redirects with obj: make it the row the service wrote.
        obj.pk, obj.set_by, obj.set_at = moved.pk, moved.set_by, moved.set_at


def _format_deadline(moment: datetime.datetime) -> str:
    return shown_datetime(timezone.localtime(moment, SHANGHAI))
