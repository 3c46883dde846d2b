"""Answering a survey page by page, shared by the public page and the personal link.

Earlier pages' answers stay in the session until the final submit, so nothing partial
reaches the database (unless the person asks to "save and continue", where the survey
allows it). Each page is checked when it is left; display conditions are read against
every answer so far; the final submit checks them all again in the service.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core.exceptions import TransitionError
from participation.ratelimit import client_hash, rate_hit

from .. import answering, services
from ..models import Response, Survey

SESSION_PREFIX = "survey-answers"
THANKS_SESSION_KEY = "survey_thanks"


@dataclass
class Flow:
    """Where and how one person answers one survey."""

    survey: Survey
    scope: str  # "public" or "panel-<member pk>"
    action: str  # the form's URL
    channel: str = Response.Channel.ONLINE
    panel_member: object = None
    template: str = "surveys/public/detail.html"

    @property
    def key(self) -> str:
        return f"{SESSION_PREFIX}:{self.survey.pk}:{self.scope}"


def held(request, flow: Flow) -> dict:
    state = request.session.get(flow.key) or {}
    return {
        "data": dict(state.get("data") or {}),
        "page": int(state.get("page") or 0),
        "resume": state.get("resume", ""),
    }


def hold(request, flow: Flow, state: dict) -> None:
    request.session[flow.key] = state


def forget(request, flow: Flow) -> None:
    request.session.pop(flow.key, None)


def results_url(survey: Survey) -> str:
    if not survey.results_public:
        return ""
    try:
        return reverse("surveys:public_results", args=[survey.pk])
    except (NoReverseMatch, ImproperlyConfigured):  # helper C's page, merged separately
        return ""


def render_page(
    request,
    flow: Flow,
    pages,
    index: int,
    data: dict,
    *,
    errors=None,
    message: str = "",
    status: int = 200,
    extra=None,
):
    errors = errors or {}
    survey = flow.survey
    earlier = {spec.id for page in pages[:index] for spec in page.specs}
    values = answering.values_before(pages, index, data)
    forms = (
        answering.page_forms(pages[index], data, errors, earlier=earlier, values=values)
        if pages
        else []
    )
    context = {
        "survey": survey,
        "matter": survey.matter,
        "status": survey.status,
        "flow": flow,
        "questions_html": answering.questions_html(survey, pages[index], index, forms, data, errors)
        if pages
        else "",
        "pages": pages,
        "page": pages[index] if pages else None,
        "page_index": index,
        "is_first": index == 0,
        "is_last": index == len(pages) - 1,
        "questions": forms,
        "error_items": [f for f in forms if f.error],
        "form_message": message,
        "can_answer": True,
        "results_url": results_url(survey),
        **(extra or {}),
    }
    response = render(request, flow.template, context, status=status)
    # The form shows this visitor's answers so far: a shared computer's back button must
    # not show them to the next person.
    add_never_cache_headers(response)
    if context.get("resume_link"):
        # The page shows a personal link: not sent on as a referrer either.
        response["Referrer-Policy"] = "no-referrer"
    return answering.set_mark(request, response)


def _rate_limited(request, flow: Flow, pages, index: int, data: dict):
    """The 429 page (answers kept) when this address sent too much lately, else ``None``."""
    if flow.channel != Response.Channel.ONLINE:
        return None
    verdict = rate_hit(
        request,
        scope="survey",
        limit=settings.PORTAL_SURVEY_RATE,
        window=settings.PORTAL_SURVEY_RATE_WINDOW,
    )
    if verdict.allowed:
        return None
    message = _(
        "同一网络地址短时间内提交的答卷过多，请在%(minutes)d分钟后再试。您填写的内容已保留。"
    ) % {"minutes": verdict.retry_minutes}
    response = render_page(request, flow, pages, index, data, status=429, message=message)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _step(pages, index: int, data: dict, direction: int) -> int:
    """The next page in ``direction`` that has a question to ask."""
    index += direction
    while 0 <= index < len(pages) and not answering.page_is_asked(pages, index, data):
        index += direction
    return max(0, min(index, len(pages) - 1))


def show(request, flow: Flow, pages):
    """GET: the page this person was on, with what they typed so far."""
    answering.ensure_mark(request)
    state = held(request, flow)
    index = max(0, min(state["page"], len(pages) - 1))
    return render_page(request, flow, pages, index, state["data"])


def post(request, flow: Flow, pages, *, on_submitted):
    """POST: move between pages, save for later, or submit; ``on_submitted(response)``
    makes the reply to a stored response."""
    state = held(request, flow)
    try:
        index = int(request.POST.get("page", state["page"]))
    except (TypeError, ValueError):
        index = state["page"]
    index = max(0, min(index, len(pages) - 1))
    action = request.POST.get("action", "submit")
    data = answering.merge(state["data"], pages[index].specs, request.POST)
    if request.POST.get("website"):
        # The honeypot: the same thanks as for a person, nothing stored.
        forget(request, flow)
        return on_submitted(None)

    def keep(page_index):
        hold(request, flow, {"data": data, "page": page_index, "resume": state["resume"]})

    if action == "previous":
        index = _step(pages, index, data, -1)
        keep(index)
        return render_page(request, flow, pages, index, data)
    if action == "save":
        keep(index)
        # A draft is a row in the database: counted as a submission is.
        refused = _rate_limited(request, flow, pages, index, data)
        if refused is not None:
            return refused
        try:
            _draft, token = services.resume_save(
                survey=flow.survey, data=data, token=state["resume"], panel_member=flow.panel_member
            )
        except TransitionError as error:
            return render_page(request, flow, pages, index, data, message=str(error))
        hold(request, flow, {"data": data, "page": index, "resume": token})
        link = "" if flow.panel_member else services.resume_url(token)
        return render_page(
            request, flow, pages, index, data, extra={"saved": True, "resume_link": link}
        )
    _values, errors = answering.page_errors(pages, index, data)
    if errors:
        keep(index)
        return render_page(request, flow, pages, index, data, errors=errors)
    if action == "next":
        following = _step(pages, index, data, +1)
        if following != index:
            keep(following)
            return render_page(request, flow, pages, following, data)
    # The last page (or no page left to ask): submit.
    last = _step(pages, index, data, +1)
    if last != index:
        keep(last)
        return render_page(request, flow, pages, last, data)
    keep(index)
    refused = _rate_limited(request, flow, pages, index, data)
    if refused is not None:
        return refused
    try:
        response = services.response_submit(
            survey=flow.survey,
            data=data,
            channel=flow.channel,
            panel_member=flow.panel_member,
            client_hash=client_hash(request) if flow.channel == Response.Channel.ONLINE else "",
            browser=answering.ensure_mark(request)
            if flow.channel == Response.Channel.ONLINE
            else "",
            resume_token=state["resume"],
            specs=answering.all_specs(pages),
        )
    except services.AnswersInvalid as error:
        first = next(
            (n for n, page in enumerate(pages) if any(s.id in error.errors for s in page.specs)),
            index,
        )
        keep(first)
        return render_page(request, flow, pages, first, data, errors=error.errors)
    except TransitionError as error:
        return render_page(request, flow, pages, index, data, message=str(error), status=409)
    forget(request, flow)
    return answering.set_mark(request, on_submitted(response))
