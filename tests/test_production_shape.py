"""Pin the production deployment shape (docker-compose.yml and Dockerfile).

These tests only read files; they need neither a database nor Docker.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"

PRODUCTION_SERVICES = ("postgres", "redis", "web", "worker", "beat")
HEALTHCHECKED_SERVICES = ("postgres", "redis", "web", "worker")
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile_text():
    return DOCKERFILE.read_text(encoding="utf-8")


def _command_words(service):
    """Return a service's command as a list of words, whatever its YAML form."""
    command = service.get("command")
    if command is None:
        return []
    if isinstance(command, str):
        return shlex.split(command)
    words = []
    for part in command:
        words.extend(shlex.split(str(part)) if " " in str(part) else [str(part)])
    return words


def _dockerfile_instructions(text):
    """Yield (INSTRUCTION, arguments) pairs, joining backslash continuations."""
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        yield keyword.upper(), rest.strip()


# --- docker-compose.yml -----------------------------------------------------


def test_compose_defines_every_production_service(services):
    missing = [name for name in PRODUCTION_SERVICES if name not in services]
    assert not missing, f"docker-compose.yml lacks services: {missing}"


@pytest.mark.parametrize("name", HEALTHCHECKED_SERVICES)
def test_long_running_services_declare_a_healthcheck(services, name):
    healthcheck = services[name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert healthcheck.get("test"), f"{name} healthcheck has no test"


def test_beat_has_no_healthcheck(services):
    assert "healthcheck" not in services["beat"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_build_the_repository_image(services, name):
    build = services[name].get("build")
    if isinstance(build, dict):
        build = build.get("context")
    assert build in (".", "./"), f"{name} does not build from the repo root"


def test_app_services_share_one_environment(services):
    environments = [services[name].get("environment") for name in APP_SERVICES]
    assert environments[0], "web has no environment"
    for name, env in zip(APP_SERVICES, environments, strict=True):
        assert env == environments[0], f"{name} environment differs from web's"


def test_shared_environment_is_the_anchored_block(compose, services):
    anchored = compose.get("x-portal-env")
    assert anchored, "x-portal-env extension block is missing"
    for name in APP_SERVICES:
        assert services[name]["environment"] == anchored


def test_database_url_points_at_postgres_service(services):
    database_url = services["web"]["environment"]["DATABASE_URL"]
    assert database_url.startswith("postgres://")
    assert "@postgres:5432/" in database_url


def test_redis_url_points_at_redis_service(services):
    redis_url = services["web"]["environment"]["REDIS_URL"]
    assert redis_url.startswith("redis://redis:6379")


def test_secret_key_must_be_supplied(services):
    assert services["web"]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_web_runs_gunicorn_on_the_project_wsgi_app(services):
    words = _command_words(services["web"])
    assert "gunicorn" in words
    assert "consult_portal.wsgi:application" in words


def test_worker_runs_celery_worker_for_the_project(services):
    command = " ".join(_command_words(services["worker"]))
    assert "celery -A consult_portal worker" in command


def test_beat_runs_celery_beat_for_the_project(services):
    command = " ".join(_command_words(services["beat"]))
    assert "celery -A consult_portal beat" in command


def test_web_waits_for_migrations_and_healthy_backends(services):
    depends_on = services["web"]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_is_a_one_shot_migration_run(services):
    migrate = services["migrate"]
    assert "migrate" in _command_words(migrate)
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate.get("restart", "no") == "no"


def test_postgres_data_lives_in_a_named_volume(compose, services):
    named_volumes = compose.get("volumes") or {}
    mounts = services["postgres"].get("volumes") or []
    data_mounts = [m for m in mounts if str(m).endswith(":/var/lib/postgresql/data")]
    assert data_mounts, "postgres data directory is not mounted"
    volume_name = str(data_mounts[0]).split(":", 1)[0]
    assert volume_name in named_volumes, f"{volume_name} is not a named volume"


def test_redis_persists_with_append_only_file(compose, services):
    redis = services["redis"]
    assert "--appendonly" in _command_words(redis)
    assert any(str(m).endswith(":/data") for m in redis.get("volumes", []))
    assert "redisdata" in (compose.get("volumes") or {})


# --- Dockerfile -------------------------------------------------------------


def test_dockerfile_exists():
    assert DOCKERFILE.is_file()


def test_dockerfile_runs_as_non_root_user(dockerfile_text):
    users = [
        args for keyword, args in _dockerfile_instructions(dockerfile_text) if keyword == "USER"
    ]
    assert users, "Dockerfile never switches USER"
    final_user = users[-1].split(":", 1)[0]
    assert final_user not in ("root", "0")


def test_dockerfile_installs_cjk_fonts(dockerfile_text):
    assert "fonts-noto-cjk" in dockerfile_text


def test_dockerfile_installs_with_pinned_constraints(dockerfile_text):
    instructions = list(_dockerfile_instructions(dockerfile_text))
    assert any(
        keyword == "COPY" and "requirements/constraints.txt" in args
        for keyword, args in instructions
    )
    assert any(
        keyword == "RUN" and "pip install" in args and "-c requirements/constraints.txt" in args
        for keyword, args in instructions
    )


def test_dockerfile_uses_production_settings(dockerfile_text):
    assert "DJANGO_SETTINGS_MODULE=consult_portal.settings.production" in dockerfile_text


def test_dockerfile_checks_health_endpoint(dockerfile_text):
    healthchecks = [
        args
        for keyword, args in _dockerfile_instructions(dockerfile_text)
        if keyword == "HEALTHCHECK"
    ]
    assert healthchecks and "/healthz/" in healthchecks[0]
