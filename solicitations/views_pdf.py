"""The 专家论证意见 PDF of a completed argumentation, for those who may view it (the
matter's department and the general office); anyone else, and an open argumentation,
get a 404: the document does not exist for them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from . import pdf
from .models import Argumentation


@login_required
@require_safe
def argumentation_pdf(request, pk: int):
    argumentation = get_object_or_404(
        Argumentation.objects.select_related("matter__department"), pk=pk
    )
    if argumentation.is_open or not request.user.has_perm(
        "solicitations.view_argumentation", argumentation
    ):
        raise Http404
    response = HttpResponse(pdf.argumentation_pdf(argumentation), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, pdf.argumentation_filename(argumentation)
    )
    return response
