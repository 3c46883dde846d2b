"""The portal's official documents as PDFs: WeasyPrint with the Noto CJK fonts, the
official style sheet (static/pdf/official.css) and "第 X 页 共 Y 页" page numbers.

Every app's ``reports.py`` renders its Django templates through ``render_pdf``; it lives
here because matters is the lowest app that produces documents, so annual plans and
participation share it without depending on each other.
"""

import datetime
import functools
import gc
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .dates import SHANGHAI

STYLESHEET = "pdf/official.css"

# WeasyPrint's defaults, spelled out because they matter here: subsetting (HarfBuzz) keeps
# the two CJK faces used (official.css) to a few hundred kB in ~0.06 s, where full fonts
# would embed 47 MB and take seconds for a one-page form; hinting only adds bytes; there are
# no images. (uncompressed_pdf would be a little faster, for a PDF five times larger.)
# pdf_tags: a structure tree (headings, paragraphs, tables) for screen readers (GB/T 37668);
# the document's language and title come from <html lang> and <title>. It costs about a
# sixth more render time and a third more bytes.
PDF_OPTIONS = {"full_fonts": False, "hinting": False, "optimize_images": False, "pdf_tags": True}


# ---------------------------------------------------------------------------- fonts and CSS


@functools.cache
def ensure_cjk_font() -> None:
    """Refuse to render a document of empty boxes (tofu) when no Chinese font is installed.

    Cached once it has passed; a failure is not cached, so installing the fonts is enough.
    """
    message = _(
        "缺少中文字体：请安装 fonts-noto-cjk（Debian/Ubuntu: apt-get install fonts-noto-cjk）。"
    )
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise RuntimeError(message)
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, absolute path from which()
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RuntimeError(message) from error
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(message)


@functools.cache
def _font_config():
    """One FontConfiguration for the process: fontconfig's font set is built once."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


# Rules of WeasyPrint's user-agent stylesheet for pseudo-elements (list markers, footnotes,
# notes) that these documents never have: they match every element, and computing six
# pseudo-element styles for each of the ~5,000 table cells of a catalog cost ~12% of it.
UNUSED_UA_RULE = re.compile(
    r"^::(marker|footnote-call|footnote-marker|note-call|note-marker|note-callback)\b"
)


@functools.cache
def _document_class():
    """``weasyprint.HTML`` with the unused pseudo-element rules left out of its UA sheet.

    ``_ua_stylesheets`` is WeasyPrint's own hook, not a documented one: should a release
    rename it or the stylesheet's layout change, the override is simply not used and the
    documents come out the same, only slower.
    """
    from weasyprint import CSS, HTML

    try:
        from weasyprint.css.counters import CounterStyle
        from weasyprint.html import UA
    except ImportError:
        return HTML
    lines = UA.splitlines()
    kept = [line for line in lines if not UNUSED_UA_RULE.match(line)]
    if len(kept) == len(lines):
        return HTML
    # Its @counter-style rules are already in WeasyPrint's own UA counter styles.
    stylesheet = CSS(string="\n".join(kept), counter_style=CounterStyle())

    class OfficialDocumentHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet]

    return OfficialDocumentHTML


@functools.cache
def _stylesheet():
    """The official-document stylesheet, read from disk and parsed once per process."""
    from weasyprint import CSS

    path = finders.find(STYLESHEET) or str(settings.BASE_DIR / "static" / STYLESHEET)
    with open(path, encoding="utf-8") as css_file:
        return CSS(string=css_file.read(), font_config=_font_config())


class _DeferredFullCollections:
    """At most one full garbage collection per render, at its end.

    WeasyPrint builds a box tree of about a million objects, many in reference cycles.
    Each automatic full collection walks all of them: during a 500-item catalog there
    were eight, about 40% of the render. Inside this context young generations are
    collected as usual and full collections wait; when the last render in flight ends, the
    usual thresholds come back and, if a full collection fell due meanwhile, it runs then,
    once, so a render's cycles are freed before it returns and memory does not build up
    over renders. Thresholds are process-wide, hence the count of renders in flight.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._renders = 0
        self._saved: tuple[int, int, int] = gc.get_threshold()

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._renders == 0:
                self._saved = gc.get_threshold()
                young, middle, _oldest = self._saved
                if young:  # 0 means automatic collection is off: leave it off
                    gc.set_threshold(young, middle, 1_000_000)
            self._renders += 1
        try:
            yield
        finally:
            with self._lock:
                self._renders -= 1
                last = self._renders == 0
                if last:
                    gc.set_threshold(*self._saved)
            young, _middle, oldest = self._saved
            # The count of young collections since the last full one: over the threshold,
            # Python would have run a full collection by now.
            if last and young and gc.get_count()[2] > oldest:
                gc.collect()


deferred_full_collections = _DeferredFullCollections()


def render_pdf(template_name: str, context: dict) -> bytes:
    ensure_cjk_font()
    html = render_to_string(template_name, context)
    return _document_class()(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[_stylesheet()], font_config=_font_config(), **PDF_OPTIONS
    )


def render_pdf_counted(template_name: str, context: dict) -> tuple[bytes, int]:
    """``render_pdf``, with the number of pages it laid out."""
    ensure_cjk_font()
    html = render_to_string(template_name, context)
    document = _document_class()(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[_stylesheet()], font_config=_font_config(), **PDF_OPTIONS
    )
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


# ----------------------------------------------------------------------- dates, as written


def chinese_date(value: datetime.date | datetime.datetime | None) -> str:
    """2026年3月31日; an aware datetime is read in Asia/Shanghai."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value, SHANGHAI).date()
    return _("%(year)d年%(month)d月%(day)d日") % {
        "year": value.year,
        "month": value.month,
        "day": value.day,
    }


def chinese_datetime(value: datetime.datetime | None) -> str:
    """2026年3月31日 14:05, Asia/Shanghai."""
    if value is None:
        return ""
    local = timezone.localtime(value, SHANGHAI)
    return f"{chinese_date(local.date())} {local:%H:%M}"


def chinese_month_span(start: datetime.date, end: datetime.date) -> str:
    """2026年3月—2026年12月."""
    return _("%(start_year)d年%(start_month)d月—%(end_year)d年%(end_month)d月") % {
        "start_year": start.year,
        "start_month": start.month,
        "end_year": end.year,
        "end_month": end.month,
    }


def chinese_numeral(number: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十: the numbering of headings in official documents."""
    digits = "零一二三四五六七八九"
    if 0 <= number < 10:
        return digits[number]
    if 10 <= number < 100:
        tens, ones = divmod(number, 10)
        return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")
    return str(number)


# ------------------------------------------------------------------- what the pages show
