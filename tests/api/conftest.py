import pytest


@pytest.fixture(autouse=True)
def _roomy_request_limits(settings):
    """Every API test calls from 127.0.0.1; the limits stay out of the way except in the
    tests of the limits themselves, which set their own."""
    settings.PORTAL_API_ANON_RATE = "100000/min"
    settings.PORTAL_API_USER_RATE = "100000/min"
