"""The open-data page and the archive downloads. Archive names are checked against
the one pattern ``build_archive`` writes, so no other file of the media folder (and
nothing outside it) can be asked for."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from . import opendata


@require_safe
def open_data(request):
    return render(request, "api/open_data.html", {"archives": opendata.list_archives()})


@require_safe
def download(request, filename: str):
    path = opendata.archive_path(filename)
    if path is None:
        raise Http404
    try:
        handle = path.open("rb")
    except FileNotFoundError:  # pruned between the check and the open
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=path.name, content_type="application/zip"
    )


@require_safe
def latest(request):
    archive = opendata.latest_archive()
    if archive is None:
        raise Http404
    return redirect("opendata:download", filename=archive.name)
