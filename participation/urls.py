"""Participation's URLs, gathered from each area's module."""

import importlib

app_name = "participation"

urlpatterns = []
for _area in ("participants", "activities", "invitations", "comments"):
    try:
        module = importlib.import_module(f"{__package__}.urls_{_area}")
    except ModuleNotFoundError as error:
        if error.name != f"{__package__}.urls_{_area}":
            raise
        continue
    urlpatterns += module.urlpatterns
