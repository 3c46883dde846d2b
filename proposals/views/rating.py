"""The author's personal rating link (满意度测评): read the reply, rate it once.

A wrong link is 404; an expired one 410; a used one shows the rating given and refuses a
second (409). The link carries only the token; the page is never cached or indexed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import services
from ..forms.rating import RatingForm
from ..models import Rating


def _private(response):
    # The URL carries the personal token: keep it out of other sites' referrers.
    response["Referrer-Policy"] = "same-origin"
    return response


def _page(request, rating: Rating, *, form=None, status=200):
    reply = rating.reply
    context = {
        # The page links to the letter through the same personal link.
        "token": request.resolver_match.kwargs["token"],
        "rating": rating,
        "reply": reply,
        "proposal": reply.proposal,
        "form": form,
        "expired": rating.expires_at <= timezone.now(),
    }
    return _private(render(request, "proposals/rating/rate.html", context, status=status))


@never_cache
def rating(request, token: str):
    try:
        rating = services.rating_by_token(token)
    except Rating.DoesNotExist:
        raise Http404 from None
    if rating.result:
        return _page(request, rating, status=409 if request.method == "POST" else 200)
    if rating.expires_at <= timezone.now():
        return _page(request, rating, status=410)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit(token, **form.cleaned_data)
        except services.RatingGiven:
            rating.refresh_from_db()
            return _page(request, rating, status=409)
        except services.RatingClosed:
            return _page(request, rating, status=410)
        messages.success(request, _("您的测评已提交，谢谢。"))
        return redirect("proposals:rating", token=token)
    return _page(request, rating, form=form)
