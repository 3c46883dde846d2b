"""What answering a survey needs beside the services: the pages of a survey and the
questions as a form shows them, the answers of earlier pages held in the session (never in
the database before the final submit), and the browser's mark.

The browser mark is a random value in a signed, HttpOnly cookie. With "每人限答一次" the
service refuses a second response carrying the same mark. It stops someone answering
twice from the same browser; it does not stop anyone who clears their cookies or uses
another browser or device. The address window (``PORTAL_SURVEY_DUPLICATE_WINDOW``) only
marks a response from an address that answered shortly before as a suspected duplicate
for staff to look at: offices, campuses and mobile networks put many people behind one
address, so it must not refuse anyone.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import content_cache

from .models import Question
from .questions import Spec, is_shown, parse_answers, question_type
from .tallies import questions_of, spec_of

MARK_COOKIE = "survey_mark"
MARK_SALT = "surveys.browser-mark"
MARK_AGE = 365 * 24 * 60 * 60


# -- the browser mark -------------------------------------------------------------------


def browser_mark(request) -> str:
    """The mark this browser carries, or ``""``."""
    try:
        return request.get_signed_cookie(MARK_COOKIE, default="", salt=MARK_SALT)
    except signing.BadSignature:
        return ""


def ensure_mark(request) -> str:
    """The browser's mark, a new one if it has none (set on the response by ``set_mark``)."""
    mark = browser_mark(request)
    if not mark:
        mark = getattr(request, "_survey_new_mark", "") or secrets.token_urlsafe(24)
        request._survey_new_mark = mark
    return mark


def set_mark(request, response):
    """Put a new mark (from ``ensure_mark``) on ``response``; an existing one stays."""
    mark = getattr(request, "_survey_new_mark", "")
    if mark:
        response.set_signed_cookie(
            MARK_COOKIE,
            mark,
            salt=MARK_SALT,
            max_age=MARK_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


# -- pages and questions ----------------------------------------------------------------


@dataclass
class Page:
    number: int  # from 1
    section: object
    items: list = field(default_factory=list)  # (Spec, Question)

    @property
    def specs(self) -> list[Spec]:
        return [spec for spec, _question in self.items]


def pages_of(survey) -> list[Page]:
    """The survey's pages with their questions (a page without questions is left out).

    Once a survey is published its questions no longer change (``services.
    _check_editable``), and every page of answering reads them: its pages are kept in the
    cache under the content generation, which any saved survey, section, question or
    option bumps (``SurveysConfig.ready``)."""
    if survey.published_at is None:
        return _read_pages(survey)
    return content_cache.kept(f"surveys:pages:{survey.pk}", lambda: _read_pages(survey))


def _read_pages(survey) -> list[Page]:
    pages: list[Page] = []
    by_section: dict[int, Page] = {}
    for number, question in enumerate(questions_of(survey), start=1):
        page = by_section.get(question.section_id)
        if page is None:
            page = by_section[question.section_id] = Page(len(pages) + 1, question.section)
            pages.append(page)
        page.items.append((spec_of(question, number), question))
    return pages


def all_specs(pages: list[Page]) -> list[Spec]:
    return [spec for page in pages for spec in page.specs]


def field_names(spec: Spec, data) -> list[str]:
    """The submitted fields that belong to ``spec``."""
    name = spec.name
    return [key for key in data if key == name or key.startswith(f"{name}_")]


def answers_in(post, specs) -> dict[str, list[str]]:
    """The answer fields of ``specs`` in a submitted form, as a plain dict."""
    data = {}
    for spec in specs:
        for key in field_names(spec, post):
            values = [v for v in post.getlist(key)] if hasattr(post, "getlist") else post[key]
            data[key] = [str(v) for v in values]
    return data


def merge(held: dict, specs, post) -> dict:
    """``held`` with the fields of ``specs`` replaced by what ``post`` carries."""
    merged = {
        key: value
        for key, value in held.items()
        if not any(key == s.name or key.startswith(f"{s.name}_") for s in specs)
    }
    merged.update(answers_in(post, specs))
    return merged


def page_errors(pages: list[Page], index: int, data) -> tuple[dict, dict]:
    """Values of every question up to page ``index`` (0-based) and the errors on that page,
    display conditions read against all answers so far."""
    specs = [spec for page in pages[: index + 1] for spec in page.specs]
    values, errors = parse_answers(specs, data)
    own = {spec.id for spec in pages[index].specs}
    return values, {qid: message for qid, message in errors.items() if qid in own}


def values_before(pages: list[Page], index: int, data) -> dict:
    specs = [spec for page in pages[:index] for spec in page.specs]
    values, _errors = parse_answers(specs, data)
    return values


def page_is_asked(pages: list[Page], index: int, data) -> bool:
    """Whether a page has a question to ask, given the answers of earlier pages (a page
    whose questions all hang on an earlier page's answer may have none)."""
    values = values_before(pages, index, data)
    earlier = {spec.id for page in pages[:index] for spec in page.specs}
    for spec in pages[index].specs:
        if spec.shown_if is None or spec.shown_if_question not in earlier:
            return True
        if is_shown(spec, values):
            return True
    return False


# -- questions as a form shows them -----------------------------------------------------


@dataclass
class Item:
    """One option, row or place as a template renders it."""

    id: str
    value: str
    label: str
    checked: bool = False
    is_other: bool = False
    extra: object = None


@dataclass
class QuestionForm:
    spec: Spec
    question: Question
    error: str = ""
    hidden_by_condition: bool = False  # controlled on this page: JS may hide it
    items: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    places: list = field(default_factory=list)
    value: str = ""
    other_value: str = ""
    hint: str = ""
    unit: str = ""
    long: bool = False
    low_label: str = ""
    high_label: str = ""
    anchor: str = ""

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def template(self) -> str:
        return f"surveys/questions/{self.spec.kind}.html"

    @property
    def dom_id(self) -> str:
        return f"question-{self.spec.id}"

    @property
    def help_id(self) -> str:
        return f"{self.dom_id}-help" if self.question.help_text or self.hint else ""

    @property
    def error_id(self) -> str:
        return f"{self.dom_id}-error" if self.error else ""

    @property
    def describedby(self) -> str:
        return " ".join(i for i in (self.help_id, self.error_id) if i)

    @property
    def controlling(self) -> str:
        return str(self.spec.shown_if_question or "")


def _first(data, name) -> str:
    values = data.get(name) or []
    return str(values[0]) if values else ""


def question_form(spec: Spec, question: Question, data, error: str = "") -> QuestionForm:
    form = QuestionForm(spec=spec, question=question, error=error)
    name = spec.name
    settings = spec.settings or {}
    kind = question_type(spec)
    if spec.kind in ("single", "multiple"):
        chosen = set(data.get(name) or [])
        form.items = [
            Item(
                id=f"id_{name}_{choice.id}",
                value=str(choice.id),
                label=choice.label,
                checked=str(choice.id) in chosen,
                is_other=choice.is_other,
            )
            for choice in spec.choices
        ]
        form.other_value = _first(data, f"{name}_other")
        if spec.kind == "multiple":
            low, high = kind.bounds(spec)
            if low > 1:
                form.hint = _("请选择%(low)d至%(high)d项。") % {"low": low, "high": high}
            elif high < len(spec.choices):
                form.hint = _("最多选%(n)d项。") % {"n": high}
            else:
                form.hint = _("可多选。")
        form.anchor = form.items[0].id if form.items else ""
    elif spec.kind == "text":
        form.value = _first(data, name)
        form.long = bool(settings.get("long"))
        form.hint = _("不超过%(n)d字。") % {"n": kind.limit(spec)}
        form.anchor = f"id_{name}"
    elif spec.kind == "rating":
        low, high = kind.scale(spec)
        current = _first(data, name)
        form.low_label = settings.get("low_label") or _("最低")
        form.high_label = settings.get("high_label") or _("最高")
        form.items = [
            Item(
                id=f"id_{name}_{score}",
                value=str(score),
                label=str(score),
                checked=current == str(score),
            )
            for score in range(low, high + 1)
        ]
        form.hint = _("%(low)d分为%(low_label)s，%(high)d分为%(high_label)s。") % {
            "low": low,
            "high": high,
            "low_label": form.low_label,
            "high_label": form.high_label,
        }
        form.anchor = form.items[0].id if form.items else ""
    elif spec.kind == "matrix":
        form.items = [Item(id="", value=str(c.id), label=c.label) for c in spec.choices]
        for row in spec.rows:
            current = _first(data, f"{name}_r{row.id}")
            cells = [
                Item(
                    id=f"id_{name}_r{row.id}_{choice.id}",
                    value=str(choice.id),
                    label=choice.label,
                    checked=current == str(choice.id),
                )
                for choice in spec.choices
            ]
            form.rows.append(
                Item(id=f"{name}_r{row.id}", value=str(row.id), label=row.label, extra=cells)
            )
        form.anchor = form.rows[0].extra[0].id if form.rows else ""
    elif spec.kind == "ranking":
        places = kind.places(spec)
        form.places = [
            Item(id="", value=str(place), label=_("第%(n)d位") % {"n": place})
            for place in range(1, places + 1)
        ]
        for choice in spec.choices:
            form.items.append(
                Item(
                    id=f"id_{name}_o{choice.id}",
                    value=f"{name}_o{choice.id}",
                    label=choice.label,
                    extra=_first(data, f"{name}_o{choice.id}"),
                )
            )
        if places < len(spec.choices):
            form.hint = _("请为其中%(n)d项排出第1到第%(n)d位，每个名次只给一项。") % {"n": places}
        else:
            form.hint = _("请为每一项排出名次（第1位最优先），每个名次只给一项。")
        form.anchor = form.items[0].id if form.items else ""
    elif spec.kind == "number":
        form.value = _first(data, name)
        form.unit = settings.get("unit", "")
        low, high = kind.bounds(spec)
        parts = []
        if low is not None and high is not None:
            parts.append(
                _("请填写%(low)s到%(high)s之间的数。") % {"low": _plain(low), "high": _plain(high)}
            )
        elif low is not None:
            parts.append(_("不小于%(low)s。") % {"low": _plain(low)})
        elif high is not None:
            parts.append(_("不大于%(high)s。") % {"high": _plain(high)})
        parts.append(_("可保留两位小数。") if kind.decimals(spec) else _("请填写整数。"))
        if form.unit:
            parts.append(_("单位：%(unit)s。") % {"unit": form.unit})
        form.hint = "".join(parts)
        form.anchor = f"id_{name}"
    return form


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def page_forms(page: Page, data, errors: dict, *, earlier: set[int], values: dict) -> list:
    """The question forms of ``page``. A question whose condition hangs on an earlier page
    is shown or left out here; one that hangs on this page is rendered, marked for the
    script to hide, and checked on the server when the page is sent."""
    forms = []
    for spec, question in page.items:
        decided_here = spec.shown_if is not None and spec.shown_if_question in earlier
        if decided_here and not is_shown(spec, values):
            continue
        form = question_form(spec, question, data, errors.get(spec.id, ""))
        form.hidden_by_condition = (
            spec.shown_if is not None and spec.shown_if_question not in earlier
        )
        forms.append(form)
    return forms


def questions_html(survey, page: Page, index: int, forms: list, data, errors) -> str:
    """The markup of ``forms``; kept in the cache while the page is blank (nothing typed
    on it, no error), which is how almost every visitor first sees each page: the same
    for everyone at a language, as long as the questions shown are the same."""
    blank = not errors and not any(field_names(spec, data) for spec in page.specs)
    if not (blank and survey.published_at):
        return render_to_string("surveys/_questions.html", {"questions": forms})
    shown = ",".join(f"{form.spec.id}{'h' if form.hidden_by_condition else ''}" for form in forms)
    key = f"surveys:questions:{survey.pk}:{index}:{get_language() or ''}:{shown}"
    return content_cache.kept(
        key, lambda: render_to_string("surveys/_questions.html", {"questions": forms})
    )
