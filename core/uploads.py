"""Checks on uploaded files: the type is read from the content, never from the name."""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .archives import DOCUMENT_LIMITS, UnsafeArchive, check_zip, is_zip

# extension -> MIME type, for the kinds of file a government office attaches.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "PORTAL_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def check_upload(upload) -> CheckedUpload:
    """Return what the file really is, or raise ``ValidationError`` with a Chinese message."""
    limit = max_upload_bytes()
    if upload.size == 0:
        raise ValidationError(_("文件为空，请重新选择。"), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("文件过大：上限为 %(limit)d MB。") % {"limit": limit // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    # Word 97-2003 and Excel 97-2003 share the OLE container; filetype names either.
    extension = kind.extension if kind else None
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("不支持的文件类型：仅接受 PDF、Word、Excel、JPEG 和 PNG 文件（按文件内容判断）。"),
            code="bad_type",
        )
    if is_zip(head):
        # A .docx or .xlsx: whoever opens it later (a reviewer's Word, a search indexer)
        # inflates it, so a bomb is refused here rather than stored and served.
        try:
            check_zip(upload, DOCUMENT_LIMITS)
        except UnsafeArchive as error:
            raise ValidationError(str(error), code="unsafe_archive") from None
        except zipfile.BadZipFile:
            raise ValidationError(
                _("压缩文件已损坏或无法读取，已拒绝导入。"), code="unsafe_archive"
            ) from None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        extension=extension,
        content_type=ALLOWED_TYPES[extension],
        size=upload.size,
        sha256=digest.hexdigest(),
    )


def stored_file_response(stored, *, filename: str, content_type: str):
    """A checked upload served as a download under ``filename``, never shown inline and
    never sniffed as another type; 404 if the file has gone from storage."""
    from django.http import FileResponse, Http404

    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
