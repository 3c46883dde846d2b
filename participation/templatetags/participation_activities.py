"""``{% matter_activities matter %}``: a matter's public activities, for its public page;
``{% registration_link activity %}``: the way to a hearing's public registration, or when
it opens or closed."""

from django import template
from django.utils import timezone

from ..selectors.activities import activities_public_of_matter
from ..services.registrations import registration_window

register = template.Library()


@register.inclusion_tag("participation/activities/matter_activities.html")
def matter_activities(matter):
    return {"activities": list(activities_public_of_matter(matter=matter))}


@register.inclusion_tag("participation/activities/_registration_link.html")
def registration_link(activity, button=False):
    return {
        "activity": activity,
        "window": registration_window(activity, now=timezone.now()),
        "button": button,
    }
