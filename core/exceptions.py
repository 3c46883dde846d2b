class TransitionError(Exception):
    """A state change that the portal's rules refuse; the message is shown to the user as is."""

    def __init__(self, message: str, *, missing: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.missing = missing or []

    def __str__(self) -> str:
        return self.message
