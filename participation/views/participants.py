"""The participant registry (参与主体库): staff only. Contact details never leave it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.personal import shows_contact_details
from core.exceptions import TransitionError
from core.permissions import require_perm

from ..forms.participants import ParticipantFilterForm, ParticipantForm, ParticipantImportForm
from ..imports import read_participant_file
from ..models import Participant
from ..selectors.participants import participants_filtered
from ..services import participants as services

PAGE_SIZE = 30


@shows_contact_details(_lazy("参与主体名录"))
@login_required
def participant_list(request):
    require_perm(request, "participation.use_registry")
    form = ParticipantFilterForm(request.GET or None)
    participants = participants_filtered(**form.filters())
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participation/participants/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.FIELDS}


@login_required
def participant_create(request):
    require_perm(request, "participation.use_registry")
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_create(by=request.user, **_fields(form))
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已新增参与主体“%(name)s”。") % {"name": participant.name})
            return redirect("participation:participant_list")
    return render(
        request, "participation/participants/form.html", {"form": form, "participant": None}
    )


@login_required
def participant_edit(request, pk: int):
    participant = get_object_or_404(Participant.objects.select_related("department"), pk=pk)
    require_perm(request, "participation.use_registry")
    if not request.user.has_perm("participation.edit_participant", participant):
        keeper = participant.department.name if participant.department else _("市政府办公厅")
        raise PermissionDenied(
            _("“%(name)s”由%(keeper)s维护，只有维护部门和市政府办公厅可以修改；您可以照常邀请。")
            % {"name": participant.name, "keeper": keeper}
        )
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                participant=participant,
                by=request.user,
                is_active=form.cleaned_data["is_active"],
                **_fields(form),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("participation:participant_list")
    return render(
        request,
        "participation/participants/form.html",
        {"form": form, "participant": participant},
    )


@login_required
def participant_import(request):
    require_perm(request, "participation.use_registry")
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_participant_file(upload)
            created = services.participants_import(by=request.user, rows=rows, source=upload.name)
        except services.ImportRefused as error:
            form.add_error(None, str(error))
            errors = error.errors
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已导入 %(count)d 个参与主体。") % {"count": len(created)})
            return redirect("participation:participant_list")
    return render(
        request,
        "participation/participants/import.html",
        {"form": form, "row_errors": errors, "categories": _chinese_category_names()},
    )


def _chinese_category_names() -> list[tuple[str, str]]:
    # The import file is read by Chinese category names whatever language the page is in.
    with translation.override("zh-hans"):
        return [(value, str(label)) for value, label in Participant.Category.choices]
