"""The 督办 pages: the list (the office's all, a department's its own), a new order from
the page of what it is about, the order with its rounds of answers and urgings, and the
actions on it. Who may act is ``oversight.rules``; what state allows it, the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.exceptions import TransitionError
from core.permissions import require_perm

from . import services
from .forms import AnswerForm, DecideForm, OrderFilterForm, OrderForm, UrgeForm, WithdrawForm
from .models import Order
from .rules import visible_orders
from .selectors import overdue_filter

PAGE_SIZE = 50


def _order_or_404(request, pk: int, permission: str = "oversight.view_order") -> Order:
    order = get_object_or_404(
        visible_orders(request.user).select_related(
            "department",
            "issued_by",
            "plan_item__plan",
            "matter",
            "period__matter",
            "proposal",
        ),
        pk=pk,
    )
    require_perm(request, permission, order)
    return order


@login_required
@require_safe
def order_list(request):
    require_perm(request, "oversight.list_orders")
    orders = visible_orders(request.user).select_related("department")
    years = orders.order_by("-year").values_list("year", flat=True).distinct()
    form = OrderFilterForm(request.GET or None, years=list(years))
    filters = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    if filters.get("year"):
        orders = orders.filter(year=filters["year"])
    if filters.get("status"):
        orders = orders.filter(status=filters["status"])
    if filters.get("department"):
        orders = orders.filter(department=filters["department"])
    if filters.get("overdue"):
        orders = orders.filter(overdue_filter(timezone.now()))
    page = Paginator(orders.order_by("-year", "-number"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = {
        "year": filters.get("year", ""),
        "status": filters.get("status", ""),
        "department": getattr(filters.get("department"), "pk", ""),
        "overdue": "on" if filters.get("overdue") else "",
    }
    now = timezone.now()
    for order in page.object_list:
        order.overdue = services.is_overdue(order, now)
    return render(
        request,
        "oversight/list.html",
        {
            "form": form,
            "page": page,
            "orders": page.object_list,
            "query": urlencode({key: value for key, value in query.items() if value}),
            "can_issue": request.user.has_perm("oversight.issue_order"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_create(request):
    """A new order about the object named by ``about`` and ``target`` (the links on the
    pages of catalog items, matters, comment rounds and proposals)."""
    require_perm(request, "oversight.issue_order")
    about = request.GET.get("about", "")
    try:
        target = services.target_of(about, request.GET.get("target"))
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("oversight:list")
    live = services.live_order_for(target.about, target.obj)
    form = OrderForm(request.POST or None, initial={"title": target.title})
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_issue(target=target, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(reference)s 已发出，承办单位的工作人员和负责人将收到邮件。")
                % {"reference": order.reference},
            )
            return redirect("oversight:detail", pk=order.pk)
    return render(
        request,
        "oversight/create.html",
        {
            "form": form,
            "target": target,
            "about_label": Order.About(target.about).label,
            "live": live,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_safe
def order_detail(request, pk: int):
    order = _order_or_404(request, pk)
    user = request.user
    answers = list(order.answers.select_related("prepared_by", "signed_by", "decided_by"))
    current = next((a for a in answers if a.round == order.round), None)
    can_prepare = user.has_perm("oversight.prepare_answer", order) and order.is_open
    can_decide = user.has_perm("oversight.decide_order", order)
    return render(
        request,
        "oversight/detail.html",
        {
            "order": order,
            "target_url": services.target_url(order),
            "answers": answers,
            "current": current,
            "urgings": list(order.urgings.select_related("by")),
            "overdue": services.is_overdue(order, timezone.now()),
            "can_prepare": can_prepare,
            "can_sign": can_prepare
            and current is not None
            and current.status == current.Status.DRAFT
            and user.has_perm("oversight.sign_answer", order),
            "can_decide": can_decide,
            "decide_form": DecideForm()
            if can_decide and order.status == order.Status.ANSWERED
            else None,
            "urge_form": UrgeForm() if can_decide and order.is_open else None,
            "withdraw_form": WithdrawForm() if can_decide and not order.is_closed else None,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_edit(request, pk: int):
    order = _order_or_404(request, pk, "oversight.prepare_answer")
    current = services.current_answer(order)
    if not order.is_open or (current is not None and current.status != current.Status.DRAFT):
        messages.error(request, _("这份督办通知现在不需要起草办理情况。"))
        return redirect("oversight:detail", pk=pk)
    form = AnswerForm(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_save(order=order, body=form.cleaned_data["body"], by=request.user)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("办理情况已保存，请本单位负责人签发后报送。"))
            return redirect("oversight:detail", pk=pk)
    return render(
        request,
        "oversight/answer.html",
        {"order": order, "form": form, "current": current},
        status=422 if form.errors else 200,
    )


def _act(request, pk: int, permission: str, action, success: str):
    order = _order_or_404(request, pk, permission)
    try:
        action(order)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("oversight:detail", pk=pk)


@login_required
@require_POST
def answer_sign(request, pk: int):
    return _act(
        request,
        pk,
        "oversight.sign_answer",
        lambda order: services.answer_sign(order=order, by=request.user),
        _("办理情况已签发，报送办公厅审核。"),
    )


def _form_action(request, pk: int, form_class, action, success: str):
    order = _order_or_404(request, pk, "oversight.decide_order")
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("oversight:detail", pk=pk)
    try:
        action(order, form.cleaned_data)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("oversight:detail", pk=pk)


@login_required
@require_POST
def order_decide(request, pk: int):
    accept = request.POST.get("decision") == "accept"
    return _form_action(
        request,
        pk,
        DecideForm,
        lambda order, data: services.answer_decide(
            order=order,
            accept=data["decision"] == "accept",
            note=data["note"],
            due_date=data["due_date"],
            by=request.user,
        ),
        _("督办事项已办结。") if accept else _("办理情况已退回，承办单位将收到邮件。"),
    )


@login_required
@require_POST
def order_urge(request, pk: int):
    return _form_action(
        request,
        pk,
        UrgeForm,
        lambda order, data: services.order_urge(order=order, note=data["note"], by=request.user),
        _("已催办，承办单位的工作人员和负责人将收到邮件。"),
    )


@login_required
@require_POST
def order_withdraw(request, pk: int):
    return _form_action(
        request,
        pk,
        WithdrawForm,
        lambda order, data: services.order_withdraw(
            order=order, reason=data["reason"], by=request.user
        ),
        _("督办通知已撤销。"),
    )
