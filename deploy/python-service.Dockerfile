# syntax=docker/dockerfile:1.7
# The image of each Python deployable (the gateway and every service), one file for all:
# which one is built is a build argument. Build from the repository root (the uv
# workspace) as context, e.g.
#   docker build -f deploy/python-service.Dockerfile --build-arg SERVICE=customer \
#       --build-arg SERVICE_DIR=services/customer --build-arg SERVICE_PORT=8101 \
#       -t crm-customer:VERSION .
# or deploy/build-images.sh for every image (docker-compose.yml passes the same arguments).
# Only that deployable's package and the libs it depends on (crm-chassis, crm-contracts)
# enter the image; test and dev tools do not.
#   SERVICE              the package: crm-<SERVICE> is installed, its crm-<SERVICE> entry
#                        point runs, the image is titled crm-<SERVICE>
#   SERVICE_DIR          the package's folder (services/<SERVICE>, or gateway)
#   SERVICE_PORT         the port it serves on (CRM_HTTP_PORT, EXPOSE, the health check)
#   SERVICE_DESCRIPTION  the image's description label (deploy/build-images.sh passes the
#                        package's own description)

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
ARG SERVICE
ARG SERVICE_DIR
ARG SERVICE_PORT
ARG SERVICE_DESCRIPTION="Open CRM service"

FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
ARG SERVICE_DIR
ARG SERVICE_PORT
# Refuse at once, naming them, rather than fail later on an empty package name or port.
RUN test -n "${SERVICE}" && test -n "${SERVICE_DIR}" && test -n "${SERVICE_PORT}" \
    || { echo "build arguments SERVICE, SERVICE_DIR and SERVICE_PORT are required" >&2; exit 1; }
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /workspace
# Third-party dependencies first, from the lock alone, so this layer is reused until
# uv.lock changes (--frozen: the other members' pyproject files are not needed).
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package "crm-${SERVICE}"
# Then the workspace packages this image runs, installed as wheels (not editable),
# so the runtime stage needs nothing but /opt/venv.
COPY libs/chassis libs/chassis
COPY libs/contracts libs/contracts
COPY ${SERVICE_DIR} ${SERVICE_DIR}
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "crm-${SERVICE}"
# One name for the entry point, whichever the package: the package's own crm-<SERVICE>
# script (its __main__.main, as `python -m <SERVICE>` runs it). The build fails here if
# the package declares none.
RUN ln -s "crm-${SERVICE}" /opt/venv/bin/crm-service && test -x /opt/venv/bin/crm-service

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG SERVICE_PORT
ARG SERVICE_DESCRIPTION
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="crm-${SERVICE}" \
      org.opencontainers.image.description="${SERVICE_DESCRIPTION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.vendor="Open CRM"
RUN groupadd --system --gid 10001 crm \
    && useradd --system --uid 10001 --gid crm --no-create-home --home-dir /tmp --shell /usr/sbin/nologin crm
# Owned by root and read-only for the service user: the code cannot be changed at run time.
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    CRM_HTTP_HOST=0.0.0.0 \
    CRM_HTTP_PORT=${SERVICE_PORT}
USER 10001:10001
EXPOSE ${SERVICE_PORT}
# /healthz only says the process serves; readiness (database, broker) is /readyz. The port
# is read when the check runs (HEALTHCHECK does not expand build arguments), so it follows
# CRM_HTTP_PORT where a deployment sets another.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['CRM_HTTP_PORT'], timeout=2)"]
# uvicorn drains in-flight requests on SIGTERM, then the lifespan flushes the outbox.
# Exec form: python is PID 1 and gets the signal itself.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/venv/bin/crm-service"]
