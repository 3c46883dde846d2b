"""``manage.py check --deploy``: a production that lets the office and the administrators
in with a password alone is a finding of the security review (等保 身份鉴别)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    if settings.PORTAL_TWO_FACTOR_REQUIRED:
        return []
    return [
        checks.Warning(
            "PORTAL_TWO_FACTOR_REQUIRED is off: the admin site's users and the "
            "administrators may sign in with a password alone.",
            hint="Unset PORTAL_TWO_FACTOR_REQUIRED (it defaults to true) in production.",
            id="accounts.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def field_keys_set(app_configs, **kwargs):
    if settings.PORTAL_FIELD_KEYS:
        return []
    return [
        checks.Warning(
            "PORTAL_FIELD_KEYS is not set: personal contacts are encrypted with a key derived "
            "from SECRET_KEY.",
            hint="Set PORTAL_FIELD_KEYS from a secret store (manage.py rotate_field_keys "
            "--new-key prints a key), apart from SECRET_KEY and the database backups.",
            id="accounts.W002",
        )
    ]
