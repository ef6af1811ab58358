# OncoNav production image: gunicorn web, Celery worker and beat share it (see compose.yaml).
# Configured only from the environment (docs/operations.md). Runs as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    KNOWLEDGE_BASE_PATH=/app/knowledge \
    STATIC_ROOT=/app/static \
    PRIVATE_STORAGE_ROOT=/app/var/private \
    GUNICORN_BIND=0.0.0.0:8000

# pg_dump / psql for `onconav backup` and `onconav restore` on PostgreSQL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY knowledge ./knowledge
RUN pip install --no-compile . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin onconav

# Translations and static files are built into the image with throw-away build-time secrets.
RUN export SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
        FIELD_ENCRYPTION_KEY="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
        ALLOWED_HOSTS=build.invalid \
    && onconav manage compile_catalogues \
    && onconav manage collectstatic --noinput \
    && mkdir -p /app/var/private \
    && chown -R onconav:onconav /app/var

USER onconav
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "-c", "python:onconav.config.gunicorn", "onconav.config.wsgi"]
