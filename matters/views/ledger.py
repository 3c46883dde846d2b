"""The ledger (台账) pages of the general office: a filtered list and its Excel export."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.models import Department

from ..exports import ledger_headers, ledger_rows, ledger_workbook
from ..forms import year_filter_field
from ..ledger_display import LedgerDisplay
from ..procedures import Kind
from ..selectors import ledger_entries

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerFilterForm(forms.Form):
    """The ledger's filters. A bad value is a form error on the page, never a server error."""

    department = forms.ChoiceField(
        label=_("部门"),
        required=False,
        error_messages={"invalid_choice": _("没有这个部门，请从列表中选择。")},
    )
    year = year_filter_field(_("年度"))
    kind = forms.ChoiceField(
        label=_("协商类别"),
        required=False,
        error_messages={"invalid_choice": _("没有这个协商类别，请从列表中选择。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("全部部门")), *self._departments()]
        self.fields["kind"].choices = [("", _("全部类别")), *Kind.choices]

    @staticmethod
    def _departments():
        return Department.objects.filter(is_active=True).values_list("code", "name")

    def filters(self) -> dict:
        """The filters that are valid; an invalid one is left out and shown as an error."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: cleaned[key] for key in ("department", "year", "kind") if cleaned.get(key)}


def _require_ledger_permission(request) -> None:
    if not request.user.has_perm("matters.view_ledger"):
        raise PermissionDenied


def _render_list(request, form: LedgerFilterForm, filters: dict, *, status: int = 200):
    page = Paginator(ledger_entries(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(filters)
    entries = list(page.object_list)
    display = LedgerDisplay()
    rows = ledger_rows(entries)
    return render(
        request,
        "matters/ledger_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            # What changed, readable, beside each row; the raw data one click away.
            "lines": list(zip(rows, map(display.changes, entries), strict=True)),
            "headers": [*ledger_headers()[:8], _("变更内容")],
            "query": query,
        },
        status=status,
    )


@require_safe
@login_required
def ledger_list(request):
    _require_ledger_permission(request)
    form = LedgerFilterForm(request.GET)
    return _render_list(request, form, form.filters())


@require_safe
@login_required
def ledger_export(request):
    _require_ledger_permission(request)
    form = LedgerFilterForm(request.GET)
    filters = form.filters()
    if form.errors:
        # Export exactly what was asked for or nothing: show the errors on the list instead.
        return _render_list(request, form, filters, status=400)
    content = ledger_workbook(ledger_entries(**filters))
    filename = f"{_('台账')}-{timezone.localdate():%Y%m%d}.xlsx"
    return HttpResponse(
        content,
        content_type=XLSX,
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )
