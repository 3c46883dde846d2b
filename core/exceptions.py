class TransitionError(Exception):
    """A state change that the portal's rules refuse; the message is shown to the user as is."""

    def __init__(self, message: str, *, missing: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.missing = missing or []

    def __str__(self) -> str:
        return self.message


def require_text(value: str | None, message: str, *, limit: int | None = None) -> str:
    """``value`` stripped, or ``TransitionError(message)`` when nothing is left; with
    ``limit``, refuse a longer text and say how long it is."""
    from django.utils.translation import gettext as _

    value = (value or "").strip()
    if not value:
        raise TransitionError(message)
    if limit is not None and len(value) > limit:
        raise TransitionError(
            _("内容不能超过%(limit)d个字（现有%(count)d个字）。")
            % {"limit": limit, "count": len(value)}
        )
    return value
