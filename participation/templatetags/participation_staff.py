"""``{% matter_participation_links matter %}``: links from a matter's staff page to its
activities and comment periods, so the matters app needs no knowledge of participation.

Each link is shown only to those its page serves, asked with the permission that page
checks: a co-organising department reads the matter but not the lead department's
activities and comment periods, so it gets no dead buttons."""

from django import template

register = template.Library()


@register.inclusion_tag("participation/matter_staff_links.html", takes_context=True)
def matter_participation_links(context, matter):
    user = context["request"].user
    return {
        "matter": matter,
        # activity_staff_list checks view_internal; the staff period list shows only the
        # periods of the departments whose participation the reader may view.
        "can_view": user.has_perm("participation.view_internal", matter),
        # period_open checks manage.
        "can_manage": user.has_perm("participation.manage", matter),
    }
