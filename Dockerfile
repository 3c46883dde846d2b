# Production image for the 政府协商工作平台 (consult_portal).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=consult_portal.settings.production

# WeasyPrint runtime libs, CJK fonts for PDFs, gettext for compilemessages,
# curl for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libfontconfig1 \
        fonts-noto-cjk \
        gettext \
        curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system portal \
    && useradd --system --gid portal --create-home --home-dir /home/portal \
        --shell /usr/sbin/nologin portal

WORKDIR /app

# Dependencies first, so this layer is reused until pyproject/constraints change.
# The package directories are not copied yet, so install [project].dependencies
# here and the project itself (--no-deps) once the source is in place.
COPY pyproject.toml ./
COPY requirements/constraints.txt requirements/constraints.txt
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project'].get('dependencies', [])))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -c requirements/constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-cache-dir --no-deps -c requirements/constraints.txt . \
    && rm -rf build *.egg-info

# Build-time only: production settings require SECRET_KEY; this value never
# reaches the final environment. Code stays root-owned (read-only for portal).
ARG BUILD_SECRET_KEY=build-only-not-secret
RUN SECRET_KEY="${BUILD_SECRET_KEY}" DATABASE_URL="sqlite:////tmp/build.sqlite3" \
        python manage.py compilemessages --ignore=.venv --ignore=.git \
    && SECRET_KEY="${BUILD_SECRET_KEY}" DATABASE_URL="sqlite:////tmp/build.sqlite3" \
        python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/media \
    && chown portal:portal /app/media

USER portal

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz/ || exit 1

CMD ["sh", "-c", "exec gunicorn consult_portal.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
