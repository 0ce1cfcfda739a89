#!/usr/bin/env bash
# Create the Secrets the dev overlay expects, with fresh random values, in namespace crm
# (or $NAMESPACE). Existing Secrets are kept: the databases were initialised with them.
#
#   kubectl apply -k k8s/overlays/dev   # creates the namespace (pods wait for the Secrets)
#   deploy/dev-secrets.sh
#
# Nothing secret is stored in the repository; production uses its own secret manager
# (see docs/DEPLOYMENT.md for the keys each Secret must hold).
set -euo pipefail
ns="${NAMESPACE:-crm}"
random() { openssl rand -hex 24; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

create() {  # create NAME --from-literal=... ; skipped when the Secret exists
    local name="$1"; shift
    if kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then
        echo "keep   secret/$name"
        return
    fi
    kubectl -n "$ns" create secret generic "$name" "$@" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
    echo "create secret/$name"
}

openssl genpkey -algorithm ed25519 -out "$work/private.pem"
openssl pkey -in "$work/private.pem" -pubout -out "$work/public.pem"
create crm-jwt --from-file=private.pem="$work/private.pem" --from-file=public.pem="$work/public.pem"

rabbit_password="$(random)"
create rabbitmq --from-literal=username=crm --from-literal=password="$rabbit_password"
rabbit_password="$(kubectl -n "$ns" get secret rabbitmq -o jsonpath='{.data.password}' | base64 -d)"
amqp_url="amqp://crm:${rabbit_password}@rabbitmq:5672/"

redis_password="$(random)"
create redis --from-literal=password="$redis_password"
redis_password="$(kubectl -n "$ns" get secret redis -o jsonpath='{.data.password}' | base64 -d)"

for app in gateway customer sales marketing support analytics notifications; do
    create "mongodb-$app" --from-literal=username=root --from-literal=password="$(random)"
    mongo_password="$(kubectl -n "$ns" get secret "mongodb-$app" -o jsonpath='{.data.password}' | base64 -d)"
    # Every deployable gets the Redis URL: the gateway keeps its token deny-list there
    # and the services read it (CRM_REVOCATION_REDIS_URL).
    common=(
        --from-literal=mongo-url="mongodb://root:${mongo_password}@mongodb-${app}:27017/?authSource=admin"
        --from-literal=amqp-url="$amqp_url"
        --from-literal=redis-url="redis://:${redis_password}@redis:6379/0"
    )
    case "$app" in
        gateway)
            create crm-gateway "${common[@]}" \
                --from-literal=admin-email="admin@crm.dev.localhost" \
                --from-literal=admin-password="$(random)" ;;
        customer)
            create crm-customer "${common[@]}" \
                --from-literal=pii-keys="{\"k1\": \"$(openssl rand -base64 32)\"}" \
                --from-literal=pii-active-key=k1 \
                --from-literal=pii-index-key="$(random)" ;;
        marketing)
            create crm-marketing "${common[@]}" --from-literal=tracking-secret="$(random)" ;;
        support)
            create crm-support "${common[@]}" \
                --from-literal=inbound-email-secret="$(random)" \
                --from-literal=survey-link-secret="$(random)" ;;
        *)
            create "crm-$app" "${common[@]}" ;;
    esac
done
echo "first administrator: kubectl -n $ns get secret crm-gateway -o jsonpath='{.data.admin-password}' | base64 -d"
