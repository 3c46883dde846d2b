"""The security audit trail's pages, for the 审计管理员 alone (``audit.view_trail``): the
trail, searchable, and its export. Reading it changes nothing; exporting it is itself a
row of the trail."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.permissions import require_perm

from .forms import TrailFilterForm
from .models import Kind, Outcome
from .selectors import trail
from .services import record, retention_days

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000


def _filtered(request):
    form = TrailFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        wanted = {key: value for key, value in form.cleaned_data.items() if value}
    else:
        wanted = {}
    return form, wanted


@login_required
@require_safe
def trail_list(request):
    require_perm(request, "audit.view_trail")
    form, wanted = _filtered(request)
    page = Paginator(trail(**wanted), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: str(value) for key, value in wanted.items()})
    return render(
        request,
        "audit/trail.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "retention_days": retention_days(),
            "export_query": query,
        },
        status=422 if form.errors else 200,
    )


class _Echo:
    def write(self, value):
        return value


@login_required
@require_safe
def trail_export(request):
    require_perm(request, "audit.view_trail")
    _form, wanted = _filtered(request)
    events = trail(**wanted)[:EXPORT_LIMIT]
    record(
        Kind.AUDIT_EXPORTED,
        request=request,
        summary=_("导出安全审计记录"),
        detail={key: str(value) for key, value in wanted.items()},
    )
    header = [
        _("序号"),
        _("时间"),
        _("事件类型"),
        _("结果"),
        _("用户名"),
        _("来源地址"),
        _("请求方法"),
        _("访问地址"),
        _("对象类型"),
        _("对象编号"),
        _("说明"),
        _("本条记录的摘要"),
    ]
    kinds, outcomes = dict(Kind.choices), dict(Outcome.choices)

    def rows():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(header)  # Excel opens UTF-8 with its mark
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.seq,
                    timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                    kinds.get(event.kind, event.kind),
                    outcomes.get(event.outcome, event.outcome),
                    event.username,
                    event.address,
                    event.method,
                    event.path,
                    event.target_type,
                    event.target_id,
                    event.summary,
                    event.hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    name = _("安全审计记录-%(day)s.csv") % {"day": timezone.localdate().strftime("%Y%m%d")}
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response
