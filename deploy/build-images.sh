#!/usr/bin/env bash
# Build (and optionally push) the image of every deployable with one version tag.
#
#   deploy/build-images.sh 1.4.0                       # crm-<name>:1.4.0 into the local engine
#   REGISTRY=registry.example.com/crm deploy/build-images.sh 1.4.0 --push
#
# Tags are immutable versions; never "latest". The Python images (the gateway and every
# service) are built from one file, deploy/python-service.Dockerfile, told which deployable
# by build arguments (SERVICE, SERVICE_DIR, SERVICE_PORT and SERVICE_DESCRIPTION, the
# package's own description); their build context is the repository root (the uv
# workspace) and each holds only its own package and the libs it needs. The console has
# its own console/Dockerfile, context console/ (its Node build needs nothing outside it).
# Base images are build arguments (PYTHON_IMAGE; NODE_IMAGE and RUNTIME_IMAGE for the
# console): BUILD_ARGS="--build-arg NODE_IMAGE=..." passes others, e.g. local ones, and
# DOCKER=podman builds with podman.
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
    [notifications]=services/notifications
    [console]=console
)
declare -A contexts=([console]=console)
declare -A ports=(
    [gateway]=8080
    [customer]=8101
    [sales]=8102
    [marketing]=8103
    [support]=8104
    [analytics]=8105
    [notifications]=8106
)

for name in gateway customer sales marketing support analytics notifications console; do
    image="${registry}/crm-${name}:${version}"
    echo "==> ${image}"
    if [[ "$name" == console ]]; then
        dockerfile="${root}/console/Dockerfile"
        deployable=()
    else
        dockerfile="${root}/deploy/python-service.Dockerfile"
        description="$(sed -n 's/^description = "\(.*\)"$/\1/p' "${root}/${folders[$name]}/pyproject.toml")"
        [[ -n "$description" ]] || { echo "no description in ${folders[$name]}/pyproject.toml" >&2; exit 1; }
        deployable=(
            --build-arg "SERVICE=${name}"
            --build-arg "SERVICE_DIR=${folders[$name]}"
            --build-arg "SERVICE_PORT=${ports[$name]}"
            --build-arg "SERVICE_DESCRIPTION=${description}"
        )
    fi
    # shellcheck disable=SC2086 # BUILD_ARGS is a list of words
    DOCKER_BUILDKIT=1 "${DOCKER:-docker}" build ${BUILD_ARGS:-} \
        --file "${dockerfile}" \
        "${deployable[@]}" \
        --build-arg "VERSION=${version}" \
        --build-arg "REVISION=${revision}" \
        --build-arg "CREATED=${created}" \
        --build-arg "SOURCE=${source_url}" \
        --tag "${image}" \
        "${root}/${contexts[$name]:-}"
    if [[ "$push" == "--push" ]]; then
        "${DOCKER:-docker}" push "${image}"
    fi
done
