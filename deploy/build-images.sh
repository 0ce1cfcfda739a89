#!/usr/bin/env bash
# Build (and optionally push) the image of every deployable with one version tag.
#
#   deploy/build-images.sh 1.4.0                       # crm-<name>:1.4.0 into the local engine
#   REGISTRY=registry.example.com/crm deploy/build-images.sh 1.4.0 --push
#
# Tags are immutable versions; never "latest". The build context is the repository root
# (the uv workspace); each image holds only its own package and the libs it needs.
set -euo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
    echo "usage: $0 VERSION [--push]" >&2
    exit 2
fi
version="$1"
push="${2:-}"
if [[ "$version" == "latest" || ! "$version" =~ ^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$ ]]; then
    echo "VERSION must be an explicit tag such as 1.4.0 (not 'latest')" >&2
    exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
registry="${REGISTRY:-crm}"
revision="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
source_url="$(git -C "$root" remote get-url origin 2>/dev/null || echo unknown)"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

declare -A folders=(
    [gateway]=gateway
    [customer]=services/customer
    [sales]=services/sales
    [marketing]=services/marketing
    [support]=services/support
    [analytics]=services/analytics
)

for name in gateway customer sales marketing support analytics; do
    image="${registry}/crm-${name}:${version}"
    echo "==> ${image}"
    DOCKER_BUILDKIT=1 docker build \
        --file "${root}/${folders[$name]}/Dockerfile" \
        --build-arg "VERSION=${version}" \
        --build-arg "REVISION=${revision}" \
        --build-arg "CREATED=${created}" \
        --build-arg "SOURCE=${source_url}" \
        --tag "${image}" \
        "${root}"
    if [[ "$push" == "--push" ]]; then
        docker push "${image}"
    fi
done
