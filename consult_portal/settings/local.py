"""The embedded default: ``make run`` (the portal as its users see it) and ``make dev``
(the same with Django's debug pages, ``DEBUG=true``)."""

from .base import *  # noqa: F403
from .base import env

# Off by default: the demo shows the portal's own 404 and 500 pages, never Django's list
# of every URL. ``make dev`` turns it on.
DEBUG = env.bool("DEBUG", default=False)
# Static files straight from the project's folders, without collectstatic, whatever DEBUG.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
