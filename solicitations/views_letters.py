"""The pages of written solicitation (书面征求意见).

The sending department drafts the letter on its matter, chooses the addressees, sends it,
types in answers that arrive on paper and follows who has answered. An addressed body's
staff draft its answer and its leader signs it; a person answers by the personal link of
the letter's e-mail, without an account. Each change calls one service; a refusal
(``TransitionError``) is shown on the form that asked for it, with what the user typed
kept. A letter outside ``rules.visible_solicitations`` is not found (404); one the user
only reads refuses every change (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Department
from core.exceptions import TransitionError
from core.permissions import require_perm
from core.titles import book_title
from participation.models import Participant

from . import pdf_letters
from .forms import (
    AddresseesForm,
    AnswerForm,
    AnswerItemFormSet,
    LetterForm,
    PaperAnswerForm,
    SignerForm,
)
from .models import Addressee, Solicitation
from .rules import visible_solicitations
from .services import letters
from .tracking import tracking_of
from .views import matter_for_create


def _solicitation_or_404(
    request, pk: int, permission: str = "solicitations.view_solicitation"
) -> Solicitation:
    solicitation = get_object_or_404(
        visible_solicitations(request.user).select_related(
            "matter__department", "period", "draft", "created_by", "sent_by", "step"
        ),
        pk=pk,
    )
    require_perm(request, permission, solicitation)
    return solicitation


def _addressee_or_404(request, pk: int, addressee_pk: int, permission: str):
    solicitation = _solicitation_or_404(request, pk)
    addressee = get_object_or_404(solicitation.addressees.all(), pk=addressee_pk)
    addressee.solicitation = solicitation
    require_perm(request, permission, addressee)
    return solicitation, addressee


def _open_periods(matter):
    return matter.comment_periods.filter(report_published_at__isnull=True).order_by("-starts_at")


def _letter(data) -> letters.Letter:
    return letters.Letter(
        title=data["title"],
        reference_number=data["reference_number"],
        body=data["body"],
        deadline=data["deadline"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        deemed_no_opinion=data["deemed_no_opinion"],
    )


@login_required
def solicitation_create(request):
    matter = matter_for_create(request, "solicitations.create_solicitation")
    periods = _open_periods(matter)
    form = LetterForm(
        request.POST or None,
        periods=periods,
        initial={
            "period": periods.first(),
            "title": _("关于征求%(title)s意见的函") % {"title": book_title(matter.title)},
            "deadline": timezone.localdate() + timezone.timedelta(days=15),
            "contact_name": request.user.display_name,
            "contact_phone": request.user.phone,
            "deemed_no_opinion": True,
            "body": _(
                "各有关单位：\n\n为广泛听取意见，现将%(title)s征求意见稿送上，请研究提出意见，"
                "于反馈截止日期前反馈。"
            )
            % {"title": book_title(matter.title)},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            solicitation = letters.solicitation_create(
                matter=matter,
                period=form.cleaned_data["period"],
                by=request.user,
                letter=_letter(form.cleaned_data),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("征求意见函已保存，请选择征求意见对象。"))
            return redirect("solicitations:solicitation_detail", pk=solicitation.pk)
    return render(
        request,
        "solicitations/staff/letter_form.html",
        {"form": form, "matter": matter, "has_periods": periods.exists()},
    )


@login_required
def solicitation_edit(request, pk: int):
    solicitation = _solicitation_or_404(request, pk, "solicitations.manage_solicitation")
    if solicitation.status != Solicitation.Status.DRAFT:
        messages.info(request, _("征求意见函已经发出，不能再修改。"))
        return redirect("solicitations:solicitation_detail", pk=pk)
    fields = ("title", "reference_number", "body", "deadline", "contact_name", "contact_phone")
    form = LetterForm(
        request.POST or None,
        with_period=False,
        initial={
            **{name: getattr(solicitation, name) for name in fields},
            "deemed_no_opinion": solicitation.deemed_no_opinion,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            letters.solicitation_update(
                solicitation=solicitation, by=request.user, letter=_letter(form.cleaned_data)
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("征求意见函已修改。"))
            return redirect("solicitations:solicitation_detail", pk=pk)
    return render(
        request,
        "solicitations/staff/letter_form.html",
        {"form": form, "matter": solicitation.matter, "solicitation": solicitation},
    )


@login_required
@require_safe
def solicitation_detail(request, pk: int):
    solicitation = _solicitation_or_404(request, pk)
    addressees = list(
        solicitation.addressees.select_related("department", "participant", "signed_by")
        .prefetch_related("items__opinion")
        .order_by("-role", "category", "pk")
    )
    can_manage = request.user.has_perm("solicitations.manage_solicitation", solicitation)
    mine = [a for a in addressees if request.user.has_perm("solicitations.prepare_answer", a)]
    return render(
        request,
        "solicitations/staff/letter_detail.html",
        {
            "solicitation": solicitation,
            "matter": solicitation.matter,
            "addressees": addressees,
            "tracking": tracking_of(addressees),
            "can_manage": can_manage,
            "is_draft": solicitation.status == Solicitation.Status.DRAFT,
            "mine": mine,
            "past_deadline": letters.is_past_deadline(solicitation, timezone.now()),
        },
    )


@login_required
def addressees_add(request, pk: int):
    solicitation = _solicitation_or_404(request, pk, "solicitations.manage_solicitation")
    if solicitation.status != Solicitation.Status.DRAFT:
        messages.info(request, _("征求意见函已经发出，不能再修改。"))
        return redirect("solicitations:solicitation_detail", pk=pk)
    chosen = solicitation.addressees
    departments = (
        Department.objects.filter(is_active=True)
        .exclude(pk=solicitation.matter.department_id)
        .exclude(pk__in=chosen.filter(department__isnull=False).values("department_id"))
        .exclude(kind=Department.Kind.GENERAL_OFFICE)
        .order_by("sort_order", "code")
    )
    participants = (
        Participant.objects.filter(is_active=True)
        .exclude(pk__in=chosen.filter(participant__isnull=False).values("participant_id"))
        .order_by("category", "name", "pk")
    )
    form = AddresseesForm(request.POST or None, departments=departments, participants=participants)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = letters.addressees_add(
                solicitation=solicitation,
                by=request.user,
                departments=data["departments"],
                participants=data["participants"],
                categories=data["categories"],
                role=data["role"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已添加%(n)d个征求意见对象。") % {"n": len(added)})
            return redirect("solicitations:solicitation_detail", pk=pk)
    return render(
        request,
        "solicitations/staff/addressees_add.html",
        {"solicitation": solicitation, "matter": solicitation.matter, "form": form},
    )


@login_required
@require_POST
def addressee_remove(request, pk: int, addressee_pk: int):
    solicitation = _solicitation_or_404(request, pk, "solicitations.manage_solicitation")
    addressee = get_object_or_404(solicitation.addressees.all(), pk=addressee_pk)
    addressee.solicitation = solicitation
    try:
        letters.addressee_remove(addressee=addressee, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已移除%(name)s。") % {"name": addressee.name})
    return redirect("solicitations:solicitation_detail", pk=pk)


@login_required
@require_POST
def solicitation_send(request, pk: int):
    solicitation = _solicitation_or_404(request, pk, "solicitations.manage_solicitation")
    try:
        letters.solicitation_send(solicitation=solicitation, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("征求意见函已发出：有电子邮箱的对象将收到邮件，单位可登录平台反馈。"),
        )
    return redirect("solicitations:solicitation_detail", pk=pk)


def _items(formset) -> list[tuple[str, str]]:
    return [
        (form.cleaned_data.get("article", ""), form.cleaned_data.get("content", ""))
        for form in formset.forms
        if form.cleaned_data.get("content", "").strip()
    ]


# Opinion boxes one answer may have; "再加5栏" adds five at a time.
MAX_ITEMS = 50
MORE_ITEMS = 5


def _wants_more_items(request) -> bool:
    return request.method == "POST" and "more_items" in request.POST


def _answer_forms(request, addressee: Addressee | None = None):
    """The answer form and its opinion boxes: bound to a POST; after "再加5栏", unbound,
    holding what was typed, with five more empty boxes (nothing is checked or saved)."""
    if _wants_more_items(request):
        post = request.POST
        try:
            total = max(0, min(int(post.get("items-TOTAL_FORMS", 0)), MAX_ITEMS))
        except ValueError:
            total = 0
        items = [
            {
                "article": post.get(f"items-{index}-article", ""),
                "content": post.get(f"items-{index}-content", ""),
            }
            for index in range(total)
        ]
        items += [{}] * min(MORE_ITEMS, MAX_ITEMS - total)
        return (
            AnswerForm(initial={"answer": post.get("answer"), "note": post.get("note", "")}),
            AnswerItemFormSet(initial=items, prefix="items"),
        )
    initial, items = {}, []
    if addressee is not None and addressee.answer:
        initial = {"answer": addressee.answer, "note": addressee.note}
        items = [{"article": i.article, "content": i.content} for i in addressee.items.all()]
    data = request.POST if request.method == "POST" else None
    return AnswerForm(data, initial=initial), AnswerItemFormSet(data, initial=items, prefix="items")


def _other_form(form_class, request, initial: dict):
    """A form beside the answer: unbound (keeping what was typed) after "再加5栏"."""
    if _wants_more_items(request):
        return form_class(initial={name: request.POST.get(name, "") for name in initial})
    return form_class(request.POST or None, initial=initial)


def _saving(request) -> bool:
    return request.method == "POST" and not _wants_more_items(request)


@login_required
def answer(request, pk: int, addressee_pk: int):
    """An addressed body's page: its staff draft the answer, its leader signs it."""
    solicitation, addressee = _addressee_or_404(
        request, pk, addressee_pk, "solicitations.prepare_answer"
    )
    form, formset = _answer_forms(request, addressee)
    can_answer = addressee.status != Addressee.Status.ANSWERED
    if _saving(request) and can_answer and form.is_valid() and formset.is_valid():
        try:
            letters.body_answer_prepare(
                addressee=addressee,
                by=request.user,
                answer=letters.Answer(
                    answer=form.cleaned_data["answer"],
                    items=_items(formset),
                    note=form.cleaned_data["note"],
                ),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("反馈意见已保存，请单位负责人签发。"))
            return redirect("solicitations:answer", pk=pk, addressee_pk=addressee_pk)
    return render(
        request,
        "solicitations/staff/answer.html",
        {
            "solicitation": solicitation,
            "addressee": addressee,
            "form": form,
            "formset": formset,
            "can_answer": can_answer,
            "can_sign": can_answer
            and addressee.prepared_at is not None
            and request.user.has_perm("solicitations.sign_answer", addressee),
            "items": list(addressee.items.all()),
        },
    )


@login_required
@require_POST
def answer_sign(request, pk: int, addressee_pk: int):
    solicitation, addressee = _addressee_or_404(
        request, pk, addressee_pk, "solicitations.sign_answer"
    )
    try:
        letters.body_answer_sign(addressee=addressee, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("反馈意见已签发，%(department)s已收到。")
            % {"department": solicitation.matter.department.name},
        )
    return redirect("solicitations:answer", pk=pk, addressee_pk=addressee_pk)


@login_required
def paper_answer(request, pk: int, addressee_pk: int):
    """The sending department types in an answer that arrived on paper."""
    solicitation = _solicitation_or_404(request, pk, "solicitations.manage_solicitation")
    addressee = get_object_or_404(solicitation.addressees.all(), pk=addressee_pk)
    addressee.solicitation = solicitation
    if addressee.status == Addressee.Status.ANSWERED:
        messages.info(request, _("%(name)s已经反馈，不能再修改。") % {"name": addressee.name})
        return redirect("solicitations:solicitation_detail", pk=pk)
    form, formset = _answer_forms(request)
    paper = _other_form(
        PaperAnswerForm, request, {"received_on": timezone.localdate(), "signer_name": ""}
    )
    if _saving(request) and all(f.is_valid() for f in (form, formset, paper)):
        try:
            letters.paper_answer_enter(
                addressee=addressee,
                by=request.user,
                answer=letters.Answer(
                    answer=form.cleaned_data["answer"],
                    items=_items(formset),
                    note=form.cleaned_data["note"],
                ),
                received_on=paper.cleaned_data["received_on"],
                signer_name=paper.cleaned_data["signer_name"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已录入%(name)s的书面回函。") % {"name": addressee.name})
            return redirect("solicitations:solicitation_detail", pk=pk)
    return render(
        request,
        "solicitations/staff/paper_answer.html",
        {
            "solicitation": solicitation,
            "addressee": addressee,
            "form": form,
            "formset": formset,
            "paper": paper,
        },
    )


def _private(response):
    # The URL carries the personal token: keep it out of other sites' referrers and shared
    # caches (not "no-referrer", which makes Chromium post the form with Origin: null).
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def link_answer(request, token: str):
    """A person's answer by the personal link of the letter's e-mail. The link answers
    once: afterwards (and for any other token) it finds nothing."""
    addressee = letters.addressee_by_token(token)
    if addressee is None:
        raise Http404
    solicitation = addressee.solicitation
    form, formset = _answer_forms(request)
    signer = _other_form(SignerForm, request, {"signer_name": addressee.name})
    if _saving(request) and all(f.is_valid() for f in (form, formset, signer)):
        try:
            letters.link_answer(
                addressee=addressee,
                answer=letters.Answer(
                    answer=form.cleaned_data["answer"],
                    items=_items(formset),
                    note=form.cleaned_data["note"],
                ),
                signer_name=signer.cleaned_data["signer_name"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            return _private(
                render(
                    request,
                    "solicitations/public/link_thanks.html",
                    {"solicitation": solicitation, "addressee": addressee},
                )
            )
    return _private(
        render(
            request,
            "solicitations/public/link_answer.html",
            {
                "solicitation": solicitation,
                "addressee": addressee,
                "draft": solicitation.draft,
                "form": form,
                "formset": formset,
                "signer": signer,
            },
        )
    )


@login_required
@require_safe
def letter_pdf(request, pk: int):
    solicitation = _solicitation_or_404(request, pk)
    response = HttpResponse(pdf_letters.letter_pdf(solicitation), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, pdf_letters.letter_filename(solicitation)
    )
    return response


def letters_of_matter(user, matter):
    """The letters of a matter the user may see (for its staff page)."""
    return visible_solicitations(user).filter(Q(matter=matter))
