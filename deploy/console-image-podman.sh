#!/usr/bin/env bash
# Build the console image with podman on a machine that reaches no image registry (as the
# development machines: see DESIGN.md, "Containers on these machines"), then start it
# read-only as uid 10001 and check that it serves the page and /healthz.
#
#   deploy/console-image-podman.sh [VERSION]       # localhost/crm-console:VERSION (0.0.0-dev)
#
# The base images are assembled here and passed as build arguments:
#   localhost/debian:12-slim          debootstrap --variant=minbase bookworm (RUNTIME_IMAGE)
#   localhost/node:20-bookworm-slim   that plus this machine's Node 20 and npm (NODE_IMAGE),
#                                     and its CA bundle when NODE_EXTRA_CA_CERTS names one
# Needs: podman, runc, debootstrap (Debian packages), node 20 and npm on PATH, root.
set -euo pipefail

version="${1:-0.0.0-dev}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${CRM_IMAGE_WORK:-${root}/.local/images}"
port="${CRM_CONSOLE_CHECK_PORT:-8080}"
podman=(podman --cgroup-manager=cgroupfs --runtime=runc)
mkdir -p "$work"

if ! "${podman[@]}" image exists localhost/debian:12-slim; then
    echo "==> localhost/debian:12-slim (debootstrap)"
    rm -rf "${work}/rootfs"
    debootstrap --variant=minbase bookworm "${work}/rootfs" http://deb.debian.org/debian >"${work}/debootstrap.log"
    tar -C "${work}/rootfs" -c . | "${podman[@]}" import - localhost/debian:12-slim
    rm -rf "${work}/rootfs"
fi

if ! "${podman[@]}" image exists localhost/node:20-bookworm-slim; then
    echo "==> localhost/node:20-bookworm-slim (this machine's node $(node --version))"
    [[ "$(node --version)" == v20.* ]] || { echo "node 20 is needed" >&2; exit 1; }
    context="${work}/node"
    rm -rf "$context" && mkdir -p "$context"
    cp "$(command -v node)" "${context}/node"
    cp -a "$(npm root -g)/npm" "${context}/npm"
    if [[ -n "${NODE_EXTRA_CA_CERTS:-}" ]]; then
        cp "$NODE_EXTRA_CA_CERTS" "${context}/ca.crt"
    else
        : >"${context}/ca.crt"
    fi
    cat >"${context}/Containerfile" <<'EOF'
FROM localhost/debian:12-slim
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca.crt /etc/ssl/certs/extra-ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/extra-ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
EOF
    "${podman[@]}" build --network host -t localhost/node:20-bookworm-slim "$context"
fi

image="localhost/crm-console:${version}"
echo "==> ${image}"
# --format docker keeps the HEALTHCHECK (the OCI format has none).
"${podman[@]}" build --network host --format docker \
    --build-arg NODE_IMAGE=localhost/node:20-bookworm-slim \
    --build-arg RUNTIME_IMAGE=localhost/debian:12-slim \
    --build-arg "VERSION=${version}" \
    --build-arg "REVISION=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)" \
    --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --file "${root}/console/Dockerfile" --tag "$image" "${root}/console"

[[ "$port" == 8080 ]] || { echo "host networking: the check needs port 8080 free" >&2; exit 1; }
name="crm-console-check-$$"
echo "==> running ${name} (read-only, uid 10001, no capabilities)"
# Lower limits than the host's: runc may not set them equal to the host's here.
"${podman[@]}" run --detach --name "$name" --network host \
    --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 \
    --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL \
    --security-opt no-new-privileges --user 10001:10001 "$image" >/dev/null
trap '"${podman[@]}" rm --force "$name" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 50); do
    curl --silent --fail "http://127.0.0.1:${port}/healthz" >/dev/null && break
    sleep 0.1
done
curl --silent --fail --show-error "http://127.0.0.1:${port}/healthz"
headers="$(curl --silent --fail --show-error --dump-header - --output /dev/null "http://127.0.0.1:${port}/customers/c-42")"
grep -qi "^content-security-policy: default-src 'self'" <<<"$headers"
grep -qi "^cache-control: no-cache" <<<"$headers"
"${podman[@]}" healthcheck run "$name" 2>/dev/null
started="$(date +%s%N)"
"${podman[@]}" stop --time 30 "$name" >/dev/null 2>&1
code="$("${podman[@]}" inspect "$name" --format '{{.State.ExitCode}}')"
echo "==> ${image} serves the page and /healthz, is healthy, stopped (SIGQUIT) with ${code} in $((($(date +%s%N) - started) / 1000000)) ms"
[[ "$code" == 0 ]]
