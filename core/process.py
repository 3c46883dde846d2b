"""What a long-running process does once it has loaded the project: a gunicorn worker
(``consult_portal.wsgi``) and a Celery worker process (``consult_portal.celery``).

CPython's collector walks every tracked object of the process on a full collection. A
worker holds about 145,000 of them before its first request (modules, the URLconf, the
models and their fields), none of which will ever be garbage, and walking them all is a
full collection's main cost: one falling inside a request made that request slower.
``gc.freeze()`` moves them to the permanent generation, which collections skip; what the
process creates afterwards is collected as before.
"""

import gc

from django.urls import get_resolver


def freeze_loaded_objects() -> None:
    """Import every view (through the URLconf), collect once, then freeze what is left."""
    get_resolver().url_patterns  # noqa: B018 - the property imports every URLconf and view
    gc.collect()
    gc.freeze()
