"""Hardening that holds on every page: the Content-Security-Policy and templates without
inline code, uploads judged by their content, rate-limited public forms, `check --deploy`."""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participation.models import Registration
from tests.factories import StaffFactory, make_matter
from tests.participation.test_registrations_flow import FORM, _activity

BASE_DIR = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


# ------------------------------------------------------------------ CSP


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/matters/", "/accounts/login/", "/admin/login/"])
def test_every_page_forbids_inline_scripts_and_styles(client, url):
    response = client.get(url)

    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_keeps_its_policy(client):
    client.get("/matters/")  # stored

    again = client.get("/matters/")

    assert again.status_code == 200
    assert csp(again)["script-src"] == "'self'"


@pytest.mark.django_db
def test_staff_pages_and_the_api_carry_the_policy(client):
    client.force_login(StaffFactory())

    for url in ["/workbench/", "/api/v1/matters/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url


def served_templates() -> list[Path]:
    """HTML templates that reach a browser: not PDFs (WeasyPrint) nor e-mails."""
    roots = [BASE_DIR / "templates"]
    found = []
    for root in roots:
        for path in root.rglob("*.html"):
            parts = set(path.relative_to(root).parts)
            if parts & {"pdf", "emails"}:
                continue
            found.append(path)
    return sorted(found)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an event-handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_served_template_has_inline_script_or_style():
    templates = served_templates()
    assert len(templates) > 50  # the walk found the templates
    problems = [
        f"{path.relative_to(BASE_DIR)}: {what}"
        for path in templates
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


# ------------------------------------------------------------------ uploads

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("示意图.png", SVG),
        ("示意图.svg", SVG),
        ("草案.pdf", HTML),
        ("草案.html", HTML),
        ("说明.docx", EXE),
        ("空文件.pdf", b""),
    ],
)
def test_uploads_are_judged_by_content_and_refused_with_what_was_typed_kept(
    client, name, content
):
    staff = StaffFactory()
    matter = make_matter(department=staff.department, by=staff)
    client.force_login(staff)

    response = client.post(
        reverse("matters:document_add", args=[matter.pk]),
        {"title": "拟公开的附件标题", "category": "draft", "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "不支持的文件类型" in text or "提交的是空文件" in text
    assert "拟公开的附件标题" in text
    assert not matter.documents.exists()


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused(client, settings):
    settings.PORTAL_MAX_UPLOAD_MB = 1
    staff = StaffFactory()
    matter = make_matter(department=staff.department, by=staff)
    client.force_login(staff)
    big = PDF + b"0" * (1024 * 1024)

    response = client.post(
        reverse("matters:document_add", args=[matter.pk]),
        {"title": "大文件", "category": "draft", "file": SimpleUploadedFile("大.pdf", big)},
    )

    assert "文件过大：上限为 1 MB。" in response.content.decode()
    assert not matter.documents.exists()


@pytest.mark.django_db
def test_a_path_in_the_file_name_goes_nowhere(client, settings):
    staff = StaffFactory()
    matter = make_matter(department=staff.department, by=staff)
    client.force_login(staff)

    response = client.post(
        reverse("matters:document_add", args=[matter.pk]),
        {
            "title": "附件",
            "category": "draft",
            "file": SimpleUploadedFile("../../../../tmp/evil.pdf", PDF),
        },
    )

    assert response.status_code == 302
    stored = Path(matter.documents.get().file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert ".." not in matter.documents.get().file.name


# ------------------------------------------------------------------ rate limits


@pytest.mark.django_db
def test_hearing_registrations_are_limited_per_address_keeping_what_was_typed(client, settings):
    settings.PORTAL_REGISTRATION_RATE = 2
    activity = _activity(capacity=5)
    url = reverse("participation:registration_create", args=[activity.pk])
    for n in range(2):
        client.post(url, {**FORM, "phone": f"1380000{n:04d}"})

    refused = client.post(url, {**FORM, "phone": "13800009999", "name": "第三位报名人"})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert "同一网络地址短时间内提交的报名过多" in text
    assert "第三位报名人" in text
    assert Registration.objects.count() == 2
    # Someone else, at another address, is not affected.
    other = client.post(url, {**FORM, "phone": "13900001111"}, REMOTE_ADDR="10.20.30.40")
    assert other.status_code == 302
    assert Registration.objects.count() == 3


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_reset_the_limit(client, settings):
    settings.PORTAL_REGISTRATION_RATE = 1
    activity = _activity(capacity=5)
    url = reverse("participation:registration_create", args=[activity.pk])
    client.post(url, {**FORM, "phone": "13800000001"})

    refused = client.post(
        url, {**FORM, "phone": "13800000002"}, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )

    assert refused.status_code == 429


# ------------------------------------------------------------------ deployment


def test_check_deploy_is_clean_with_production_settings():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production has not.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "consult_portal.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-" + "x" * 30,
        "PORTAL_FIELD_KEYS": "prod:" + base64.b64encode(bytes(range(32))).decode(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sends_secure_cookies_and_hsts(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-" + "y" * 40)
    production = importlib.import_module("consult_portal.settings.production")

    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_SSL_REDIRECT
    assert production.SECURE_CONTENT_TYPE_NOSNIFF

    assert production.SECURE_SSL_REDIRECT
    assert production.SECURE_CONTENT_TYPE_NOSNIFF


# ------------------------------------------------------------------ Permissions-Policy

POWERFUL_FEATURES_OFF = {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"}


def permissions_policy(response) -> set[str]:
    return {part.strip() for part in response["Permissions-Policy"].split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/matters/", "/accounts/login/", "/api/v1/matters/", "/healthz/", "/nowhere/"]
)
def test_every_response_switches_powerful_browser_features_off(client, url):
    response = client.get(url)

    assert permissions_policy(response) >= POWERFUL_FEATURES_OFF, url


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_switches_them_off_too(client, django_assert_num_queries):
    client.get("/matters/")  # stored

    with django_assert_num_queries(0):  # answered from the cache
        again = client.get("/matters/")

    assert again.status_code == 200
    assert permissions_policy(again) >= POWERFUL_FEATURES_OFF
