"""Participation in the admin, one module per area."""

import importlib

# Each area registers its own ModelAdmins; an area not built yet is simply absent.
for _area in ("participants", "activities", "invitations", "comments"):
    try:
        importlib.import_module(f"{__name__}.{_area}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{_area}":
            raise
