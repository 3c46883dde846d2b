"""Two-factor sign-in (双因素认证, GB/T 22239-2019 level 3 身份鉴别): a time-based one-time
code from an authenticator app (TOTP, RFC 6238, through django-otp), and ten single-use
recovery codes for when the phone is lost.

- **Who must.** With ``PORTAL_TWO_FACTOR_REQUIRED`` on (the default), every account that
  may enter the admin site (the general office, the system administrator), the 安全管理员
  and 审计管理员, and any superuser must enrol before doing anything else. Other staff may
  enrol; once they have, their sign-ins ask for the code too.
- **When.** After the password: the session is signed in but confined to the code page
  (``SignInPolicyMiddleware``) until a code is accepted; django-otp then keeps the device
  in the session (``request.user.is_verified()``).
- **Recovery codes** are stored as keyed hashes (``PORTAL_TWO_FACTOR_KEY``, kept outside
  the database), never in clear: a copy of the database does not let anyone in. Each works
  once; a new set replaces the old one.
- **Attempts** are throttled by django-otp per device (a wait that doubles after each
  wrong code), and every enrolment, success, failure, new set of codes, switching off and
  reset by an administrator is a row of the security audit trail.

The holder's session knows whether the account has a device (``ENROLLED``), set at sign-in
and on every change here, so the check costs no query on ordinary requests.
"""

import base64
import re

from django.conf import settings
from django.db import transaction
from django.utils.crypto import get_random_string, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .rules import can_access_admin, is_audit_administrator, is_security_administrator

ENROLLED = "two_factor.enrolled"
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
TOTP_PATTERN = re.compile(r"^\d{6}$")
# Recovery codes: ten characters (about 50 bits) of lower-case letters and digits without
# the look-alikes (l, o, 0, 1), typed with or without the hyphen and spaces shown.
RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
RECOVERY_PATTERN = re.compile(r"^[a-z2-9]{10}$")


class TwoFactorError(ValueError):
    """A code that was not accepted, with the Chinese message to show."""


def is_required(user) -> bool:
    """Whether the account must use a second factor: the admin site's users, the three
    administrators and superusers (``PORTAL_TWO_FACTOR_REQUIRED``)."""
    if not settings.PORTAL_TWO_FACTOR_REQUIRED:
        return False
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(
        user.is_superuser
        or can_access_admin(user)
        or is_audit_administrator(user)
        or is_security_administrator(user)
    )


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, name=DEVICE_NAME, confirmed=True).first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_enrolment(session, user) -> None:
    """At sign-in (``user_logged_in``): no second factor is carried over, and the session
    learns whether this account has one to ask for."""
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session[ENROLLED] = has_device(user)


def _enrolled(request) -> bool:
    return bool(getattr(request, "session", {}).get(ENROLLED))


def _verified(user) -> bool:
    # ``is_verified`` is django-otp's (OTPMiddleware); without it, nothing is verified.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def is_pending(request) -> bool:
    """Signed in with the password, with a device, and no code accepted yet."""
    return _enrolled(request) and not _verified(request.user)


def must_enrol(request) -> bool:
    return not _enrolled(request) and is_required(request.user)


def satisfied(request) -> bool:
    """Whether the session has what the policy asks of its account: a code accepted when
    the account has a device, a device when the account must have one."""
    user = request.user
    if not user.is_authenticated:
        return False
    return not is_pending(request) and not must_enrol(request)


# -- recovery codes -------------------------------------------------------------------


def _recovery_key() -> str:
    return settings.PORTAL_TWO_FACTOR_KEY or settings.SECRET_KEY


def _stored_form(code: str) -> str:
    """What the database keeps of a recovery code: a keyed hash, 16 hex characters (what
    django-otp's token column holds)."""
    digest = salted_hmac(
        "accounts.two_factor.recovery", code, secret=_recovery_key(), algorithm="sha256"
    )
    return digest.hexdigest()[:16]


def normalise_code(value: str) -> str:
    return re.sub(r"[\s\-－—]", "", value or "").lower()


def shown_form(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def recovery_codes_issue(*, user, request=None) -> list[str]:
    """A new set of recovery codes for the account, replacing any earlier set. Returns the
    codes, shown once; only their keyed hashes are stored."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [
            get_random_string(RECOVERY_LENGTH, RECOVERY_ALPHABET)
            for _ in range(RECOVERY_CODE_COUNT)
        ]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_stored_form(code)) for code in codes
        )
    return [shown_form(code) for code in codes]


def recovery_codes_renew(*, request) -> list[str]:
    """The holder, verified, asks for a new set (the old one is lost or used up)."""
    if not _verified(request.user):
        raise TwoFactorError(_("请先完成双因素认证。"))
    codes = recovery_codes_issue(user=request.user)
    _record(request, "RECOVERY_CODES_ISSUED", gettext_lazy("重新生成恢复码，原恢复码作废"))
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# -- enrolment ------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The device being set up: an unconfirmed one kept until a code from it is accepted
    (so reloading the page shows the same key), made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def enrol(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device with a code from it: it replaces any earlier authenticator, the
    session counts as verified with it, and a new set of recovery codes is returned."""
    user = request.user
    code = normalise_code(code)
    # The check commits on its own: a wrong code's count (the throttle) and its audit row
    # stay when the enrolment is refused.
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(
            pk=device.pk, user=user, confirmed=False
        )
        allowed, _details = device.verify_is_allowed()
        accepted = allowed and bool(TOTP_PATTERN.match(code)) and device.verify_token(code)
    if not allowed:
        _record_failure(request, gettext_lazy("启用双因素认证时尝试过于频繁"))
        raise TwoFactorError(_("尝试次数过多，请稍等片刻再试。"))
    if not accepted:
        _record_failure(request, gettext_lazy("启用双因素认证时验证码不正确"))
        raise TwoFactorError(
            _("验证码不正确。请核对手机时间是否准确，并输入验证器当前显示的6位数字。")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_issue(user=user)
        _record(request, "TWO_FACTOR_ENABLED", gettext_lazy("启用双因素认证（身份验证器）"))
    otp_login(request, device)
    request.session[ENROLLED] = True
    return codes


# -- the second step of a sign-in -----------------------------------------------------


def verify(*, request, code: str) -> str:
    """Accept a code from the authenticator or a recovery code for the signed-in account,
    and mark the session verified. Returns ``"totp"`` or ``"recovery"``."""
    user = request.user
    code = normalise_code(code)
    if TOTP_PATTERN.match(code):
        method, device = "totp", authenticator_of(user)
        candidate = code
    elif RECOVERY_PATTERN.match(code):
        method, device = "recovery", StaticDevice.objects.filter(user=user).first()
        candidate = _stored_form(code)
    else:
        raise TwoFactorError(_("请输入身份验证器显示的6位数字，或一个10位恢复码。"))
    if device is None:
        _record_failure(
            request, gettext_lazy("双因素认证失败：账号没有该类验证方式"), method=method
        )
        raise TwoFactorError(_("验证码不正确。"))
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        _record_failure(request, gettext_lazy("双因素认证失败：尝试过于频繁"), method=method)
        raise TwoFactorError(_("尝试次数过多，请稍等片刻再试。"))
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        accepted = device.verify_token(candidate)
    if not accepted:
        _record_failure(request, gettext_lazy("双因素认证失败：验证码不正确"), method=method)
        raise TwoFactorError(_("验证码不正确。"))
    if method == "recovery":
        # The session is verified by the authenticator's record (the recovery set may run
        # out and be deleted): the account proved it holds one of the two.
        device = authenticator_of(user) or device
    otp_login(request, device)
    _record(
        request,
        "TWO_FACTOR_VERIFIED",
        gettext_lazy("双因素认证通过（恢复码）")
        if method == "recovery"
        else gettext_lazy("双因素认证通过"),
        detail={"method": method, "recovery_codes_left": recovery_codes_left(user)}
        if method == "recovery"
        else {"method": method},
    )
    return method


# -- switching off --------------------------------------------------------------------


@transaction.atomic
def disable(*, request) -> None:
    """The holder switches the second factor off, where the policy lets them."""
    user = request.user
    if is_required(user):
        raise TwoFactorError(_("您的账号必须使用双因素认证，不能停用。"))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[ENROLLED] = False
    _record(request, "TWO_FACTOR_DISABLED", gettext_lazy("停用双因素认证"))


@transaction.atomic
def reset(*, user, by, request=None) -> bool:
    """An administrator takes away a holder's devices (a lost phone): the account's
    sessions end, and at the next sign-in it enrols again (or signs in with the password
    alone, if the policy allows). Returns False when there was nothing to reset."""
    from .services import user_revoke_access

    deleted, _per_model = TOTPDevice.objects.filter(user=user).delete()
    deleted_codes, _per_model = StaticDevice.objects.filter(user=user).delete()
    if not (deleted or deleted_codes):
        return False
    user_revoke_access(user=user, by=by, reason=_("双因素认证已被管理员重置"))
    _record(
        request,
        "TWO_FACTOR_DISABLED",
        gettext_lazy("管理员重置了%(name)s的双因素认证"),
        params={"name": user.get_username()},
        target=user,
        actor=by,
        detail={"reason": "reset"},
    )
    return True


# -- the audit ------------------------------------------------------------------------


def _record(request, kind_name, summary, *, params=None, target=None, actor=None, **extra):
    """One row of the security audit trail; ``summary`` is a lazy text."""
    from audit.models import Kind
    from audit.services import record_in_trail_language

    user = actor if actor is not None else getattr(request, "user", None)
    record_in_trail_language(
        getattr(Kind, kind_name),
        summary,
        params=params,
        request=request,
        user=user,
        target=target if target is not None else user,
        **extra,
    )


def _record_failure(request, summary, *, method: str = "totp") -> None:
    from audit.models import Outcome

    _record(
        request,
        "TWO_FACTOR_FAILED",
        summary,
        detail={"method": method},
        outcome=Outcome.FAILURE,
    )
