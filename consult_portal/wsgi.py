import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult_portal.settings.production")

application = get_wsgi_application()

from core.process import freeze_loaded_objects  # noqa: E402 - needs apps loaded

freeze_loaded_objects()
