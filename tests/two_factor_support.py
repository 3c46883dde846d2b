"""Codes an authenticator app would show, and a session signed in with both factors, for
the tests of two-factor sign-in (accounts/two_factor.py)."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The 6 digits the app shows now, or ``steps_ahead`` 30-second steps later (a code is
    accepted once: a second sign-in within the same step takes the next step's, which the
    one-step tolerance accepts)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def bound_device(user) -> TOTPDevice:
    """A confirmed authenticator for the account, as enrolment leaves it."""
    return two_factor.authenticator_of(user) or TOTPDevice.objects.create(
        user=user, name=two_factor.DEVICE_NAME, confirmed=True
    )


def sign_in_verified(client, user) -> TOTPDevice:
    """Sign the client in as the account with its password and a code: the session a real
    sign-in of an administrator ends with (``force_login``, then the device in the session
    as django-otp's ``login`` puts it)."""
    device = bound_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.ENROLLED] = True
    session.save()
    return device
