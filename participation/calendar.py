"""An activity as an iCalendar file, so the public can put a hearing into their calendar."""

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from core.dates import SHANGHAI

from .models import Activity


def activity_url(activity: Activity) -> str:
    return urljoin(
        settings.PORTAL_BASE_URL, reverse("participation:activity_detail", args=[activity.pk])
    )


def activity_uid(activity: Activity) -> str:
    host = settings.PORTAL_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"activity-{activity.pk}@{host or 'consult-portal'}"


def activity_ics(activity: Activity, *, now: datetime.datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Qingdao government consultation portal//zh-hans//")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", (now or activity.updated_at).astimezone(datetime.UTC))
    event.add("dtstart", activity.starts_at.astimezone(SHANGHAI))
    event.add("dtend", activity.ends_at.astimezone(SHANGHAI))
    event.add("summary", f"{activity.get_kind_display()}：{activity.title}")
    location = " / ".join(part for part in (activity.place, activity.online_url) if part)
    if location:
        event.add("location", location)
    url = activity_url(activity)
    event.add("url", url)
    description = "\n".join(
        part for part in (activity.matter.title, activity.agenda.strip(), url) if part
    )
    event.add("description", description)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=activity.starts_at.date() - datetime.timedelta(days=366),
        last_date=activity.ends_at.date() + datetime.timedelta(days=366),
    )
    return calendar.to_ical()
